// cgroup v1 (also the hybrid layout): one directory per mounted hierarchy.
#include "cgroups/v1.hpp"

#include <fcntl.h>
#include <time.h>

#include "cgroups/fs_util.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {
namespace {

// A fresh cpuset cgroup has empty cpus/mems and refuses tasks: inherit the parent's values
// at every level we pass through.
void fill_cpuset(const std::string& mountpoint, const std::string& path) {
  std::string dir = mountpoint;
  std::string rest = path;
  while (!rest.empty()) {
    auto start = rest.find_first_not_of('/');
    if (start == std::string::npos) break;
    auto end = rest.find('/', start);
    std::string parent = dir;
    dir += "/" + rest.substr(start, end - start);
    rest = end == std::string::npos ? "" : rest.substr(end);
    for (const char* f : {"cpuset.cpus", "cpuset.mems"}) {
      if (trim(linux_::read_file(dir + "/" + f)).empty()) {
        linux_::write_file(dir + "/" + f, linux_::read_file(parent + "/" + f));
      }
    }
  }
}

// "FROZEN" or "FREEZING" when the freezer cgroup at dir (or one above it) holds its tasks
// stopped; "" when thawed or absent.
std::string freezer_state(const std::string& dir) {
  auto text = linux_::try_read_file(dir + "/freezer.state");
  if (!text) return "";
  std::string state = trim(*text);
  return state == "THAWED" ? "" : state;
}

// Makes the container's directory in each hierarchy; made gets the topmost directory made in
// each (for the caller to take back).
void make_dirs(const std::vector<Manager::Hierarchy>& hierarchies, std::vector<std::string>& made) {
  for (const auto& h : hierarchies) {
    with_context("cgroup " + h.dir, [&] {
      // The usual case, a new cgroup whose parent is there, is one mkdir; a deeper path or
      // one that exists already is looked at a component at a time.
      if (linux_::kernel().mkdirat(AT_FDCWD, h.dir.c_str(), 0755) == 0) {
        made.push_back(h.dir);
      } else {
        if (errno != ENOENT && errno != EEXIST) throw Error::sys("creating directory " + h.dir);
        std::string top = first_missing(h.mountpoint, h.dir);
        if (!top.empty()) made.push_back(top);
        linux_::mkdir_p(h.dir);
      }
      if (h.name == "cpuset") fill_cpuset(h.mountpoint, h.dir.substr(h.mountpoint.size()));
    });
  }
}

[[noreturn]] void throw_frozen(const std::string& dir, const std::string& state) {
  throw Error("cgroup " + dir + " is frozen (freezer.state " + state +
              "): the container would never start; thaw it first");
}

}  // namespace

V1Manager::V1Manager(std::string path, std::vector<Hierarchy> hierarchies)
    : path_(std::move(path)), hierarchies_(std::move(hierarchies)) {}

void V1Manager::create() {
  // An init cloned into a frozen cgroup stops before it can say anything: refuse up front
  // (as runc), before anything is made.
  const Hierarchy* freezer = find("freezer");
  if (freezer) {
    std::string state = freezer_state(freezer->dir);
    if (!state.empty()) throw_frozen(freezer->dir, state);
  }
  std::vector<std::string> made;  // the topmost directory made in each hierarchy
  // A failure half way takes back what this create made in the other hierarchies.
  auto undo = [&] {
    for (const auto& dir : made) {
      try {
        remove_tree(dir);
      } catch (const Error&) {
      }
    }
  };
  try {
    make_dirs(hierarchies_, made);
  } catch (const Error&) {
    undo();
    throw;
  }
  // A new cgroup under a frozen parent starts frozen too.
  if (freezer) {
    std::string state = freezer_state(freezer->dir);
    if (state.empty()) return;
    undo();
    throw_frozen(freezer->dir, state + ", inherited from a parent cgroup");
  }
}

void V1Manager::add(pid_t pid) {
  for (const auto& h : hierarchies_) write_pid(h.dir + "/cgroup.procs", pid);
}

Manager::CloneJoin V1Manager::clone_join() {
  CloneJoin j;
  for (const auto& h : hierarchies_) {
    if (h.name.empty()) {  // the hybrid layout's cgroup2 hierarchy: no tasks file
      if (!unified_fd_) {
        unified_fd_.reset(
            linux_::kernel().openat(AT_FDCWD, h.dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
      }
      j.into_fd = unified_fd_.get();
    } else {
      j.self_files.emplace_back(
          linux_::kernel().openat(AT_FDCWD, (h.dir + "/tasks").c_str(), O_WRONLY | O_CLOEXEC, 0));
    }
    if ((h.name.empty() ? j.into_fd : j.self_files.back().get()) < 0) {
      return CloneJoin{.into_fd = -1, .self_files = {}, .add_pid = true};  // not ours to write
    }
  }
  return j;
}

const std::string* V1Manager::pids_dir() const {
  for (const auto& h : hierarchies_) {
    if (h.name == "pids" || h.name == "freezer") return &h.dir;
  }
  return hierarchies_.empty() ? nullptr : &hierarchies_.front().dir;
}

std::vector<pid_t> V1Manager::pids() const {
  const std::string* dir = pids_dir();
  return dir ? read_pids_below(*dir) : std::vector<pid_t>{};
}

const Manager::Hierarchy* V1Manager::find(const std::string& controller) const {
  for (const auto& h : hierarchies_) {
    if (has_controller(h.name, controller)) return &h;
  }
  return nullptr;
}

void V1Manager::freeze(bool frozen) {
  const Hierarchy* h = find("freezer");
  if (!h) throw Error("the freezer cgroup controller is not mounted");
  std::string want = frozen ? "FROZEN" : "THAWED";
  // Freezing can take a moment while tasks reach a safe point: rewrite until it sticks. A
  // task stuck in the kernel (e.g. in vfork) can keep it FREEZING forever: give up after about
  // ten seconds and thaw again rather than leave the container half frozen.
  for (int attempt = 0; attempt < 2000; ++attempt) {
    linux_::write_file(h->dir + "/freezer.state", want);
    if (trim(linux_::read_file(h->dir + "/freezer.state")) == want) return;
    struct timespec ts = {0, (attempt < 100 ? 1 : 5) * 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
  linux_::write_file(h->dir + "/freezer.state", "THAWED");
  throw Error("freezing " + h->dir + ": the processes did not stop in time (thawed again)");
}

bool V1Manager::frozen() const {
  const Hierarchy* h = find("freezer");
  if (!h || !linux_::exists(h->dir + "/freezer.state")) return false;
  return trim(linux_::read_file(h->dir + "/freezer.state")) == "FROZEN";
}

void V1Manager::thaw_tree() {
  const Hierarchy* f = find("freezer");
  if (!f) return;
  for (const auto& d : subtree(f->dir)) {
    if (!freezer_state(d).empty()) linux_::write_file(d + "/freezer.state", "THAWED");
  }
}

void V1Manager::destroy() {
  // The usual case, an empty cgroup without children, needs one rmdir per hierarchy.
  std::vector<const Hierarchy*> busy;
  for (const auto& h : hierarchies_) {
    if (linux_::kernel().unlinkat(AT_FDCWD, h.dir.c_str(), AT_REMOVEDIR) < 0 && errno != ENOENT) {
      busy.push_back(&h);
    }
  }
  if (busy.empty()) return;
  // Child cgroups, or processes still inside. v1 has no cgroup.kill: thaw, then kill until
  // nothing is left to kill.
  thaw_tree();
  if (const std::string* dir = pids_dir()) kill_below(*dir);
  for (const Hierarchy* h : busy) remove_tree(h->dir);
}

}  // namespace hull::cgroups
