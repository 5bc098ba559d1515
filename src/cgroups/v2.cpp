// Pure cgroup v2: a single directory; the init is cloned straight into it.
#include "cgroups/v2.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <sstream>

#include "cgroups/fs_util.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {
namespace {

// Makes every controller the root offers available down to the container's parent, so that
// resources can be set on the container's own directory.
void enable_controllers(const std::string& mountpoint, const std::string& path) {
  std::string dir = mountpoint;
  std::stringstream parts(path);
  std::string part;
  std::vector<std::string> levels;
  while (std::getline(parts, part, '/')) {
    if (!part.empty()) levels.push_back(part);
  }
  for (size_t i = 0; i + 1 <= levels.size(); ++i) {
    std::stringstream ctrls(trim(linux_::read_file(dir + "/cgroup.controllers")));
    std::string c, want;
    while (ctrls >> c) want += (want.empty() ? "+" : " +") + c;
    if (!want.empty()) {
      try {
        linux_::write_file(dir + "/cgroup.subtree_control", want);
      } catch (const Error&) {
        // A parent with processes of its own cannot delegate (no internal processes rule);
        // the container still works, only without those controllers.
      }
    }
    dir += "/" + levels[i];
  }
}

[[noreturn]] void throw_frozen(const std::string& dir, const std::string& why) {
  throw Error("cgroup " + dir + " is frozen (" + why +
              "): the container would never start; thaw it first");
}

bool events_frozen(const std::string& dir) {
  auto events = linux_::try_read_file(dir + "/cgroup.events");
  return events && events->find("frozen 1") != std::string::npos;
}

// Rereads cgroup.events (fd) until it holds the line want, woken by the kernel's change
// notification (POLLPRI); gives up after timeout. last: the file's text as last read, on one
// line.
bool wait_events(int fd, const std::string& want, std::chrono::milliseconds timeout,
                 std::string& last) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    char buf[512];
    ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
    if (n < 0) throw Error::sys("reading cgroup.events");
    last.assign(buf, static_cast<size_t>(n));
    if (("\n" + last).find("\n" + want + "\n") != std::string::npos) return true;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    struct pollfd p = {fd, POLLPRI, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      throw Error::sys("waiting on cgroup.events");
    }
  }
  while (!last.empty() && last.back() == '\n') last.pop_back();
  for (char& c : last) c = c == '\n' ? ',' : c;
  return false;
}

}  // namespace

V2Manager::V2Manager(std::string mountpoint, std::string path) : path_(std::move(path)) {
  hierarchies_.push_back({"", mountpoint, join(mountpoint, path_)});
}

void V2Manager::create() {
  // An init cloned into a frozen cgroup stops before it can say anything: refuse up front
  // (as runc), before anything is made.
  if (frozen()) throw_frozen(dir(), "cgroup.freeze is 1");
  std::string made = first_missing(hierarchies_.front().mountpoint, dir());
  with_context("cgroup " + dir(), [&] {
    linux_::mkdir_p(dir());
    enable_controllers(hierarchies_.front().mountpoint, path_);
  });
  // A new cgroup under a frozen parent starts frozen too.
  if (events_frozen(dir())) {
    if (!made.empty()) remove_tree(made);
    throw_frozen(dir(), "inherited from a parent cgroup");
  }
}

int V2Manager::clone_into_fd() {
  if (!dir_fd_) {
    dir_fd_.reset(
        linux_::kernel().openat(AT_FDCWD, dir().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
    if (!dir_fd_) throw Error::sys("opening cgroup " + dir());
  }
  return dir_fd_.get();
}

void V2Manager::add(pid_t pid) {
  write_pid(dir() + "/cgroup.procs", pid);
}

std::vector<pid_t> V2Manager::pids() const {
  return read_pids_below(dir());
}

void V2Manager::freeze(bool frozen) {
  std::string events = dir() + "/cgroup.events";
  linux_::Fd fd(linux_::kernel().openat(AT_FDCWD, events.c_str(), O_RDONLY | O_CLOEXEC, 0));
  if (!fd) throw Error::sys("opening " + events);
  linux_::write_file(dir() + "/cgroup.freeze", frozen ? "1" : "0");
  std::string last;
  if (wait_events(fd.get(), frozen ? "frozen 1" : "frozen 0", freeze_timeout_, last)) return;
  // A task that never reaches the freezer (uninterruptible sleep in a stuck I/O, say) keeps
  // the cgroup from reporting frozen; leave it running rather than half frozen.
  if (frozen) linux_::write_file(dir() + "/cgroup.freeze", "0");
  throw Error("cgroup " + dir() + " did not report " + (frozen ? "frozen" : "thawed") + " within " +
              std::to_string(freeze_timeout_.count()) + " ms (cgroup.events: " + last + ")" +
              (frozen ? "; a process may be stuck in uninterruptible sleep; thawed it back" : ""));
}

void V2Manager::signal_all(int sig) {
  // One write signals the whole subtree, processes forked meanwhile included; SIGKILL only.
  if (sig == SIGKILL && linux_::exists(dir() + "/cgroup.kill")) {
    linux_::write_file(dir() + "/cgroup.kill", "1");
    return;
  }
  Manager::signal_all(sig);
}

bool V2Manager::frozen() const {
  if (!linux_::exists(dir() + "/cgroup.freeze")) return false;
  return trim(linux_::read_file(dir() + "/cgroup.freeze")) == "1";
}

void V2Manager::thaw_tree() {
  for (const auto& d : subtree(dir())) {
    auto f = linux_::try_read_file(d + "/cgroup.freeze");
    if (f && trim(*f) == "1") linux_::write_file(d + "/cgroup.freeze", "0");
  }
}

void V2Manager::destroy() {
  // The usual case, an empty cgroup without children, needs one rmdir.
  if (linux_::kernel().unlinkat(AT_FDCWD, dir().c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) {
    return;
  }
  // Child cgroups, or processes still inside: cgroup.kill takes the whole subtree (frozen
  // tasks included); without it (before Linux 5.14) kill until nothing is left.
  if (linux_::exists(dir() + "/cgroup.kill")) {
    if (!pids().empty()) linux_::write_file(dir() + "/cgroup.kill", "1");
  } else {
    kill_below(dir());
  }
  remove_tree(dir());
}

}  // namespace hull::cgroups
