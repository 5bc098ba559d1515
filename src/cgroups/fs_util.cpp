#include "cgroups/fs_util.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <sstream>

#include "hull/error.hpp"
#include "linux/dir_names.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {

std::vector<pid_t> read_pids(const std::string& procs_file) {
  std::vector<pid_t> out;
  auto text = linux_::try_read_file(procs_file);
  if (!text) return out;
  std::stringstream ss(*text);
  pid_t pid;
  while (ss >> pid) out.push_back(pid);
  return out;
}

void write_pid(const std::string& procs_file, pid_t pid) {
  linux_::write_file(procs_file, std::to_string(pid));
}

void remove_dir(const std::string& dir) {
  // A process that exited a moment ago may still be leaving the cgroup: retry on EBUSY,
  // starting with short waits (usually one is enough) and backing off to 10 ms, ~2 s in all.
  long wait_ns = 50 * 1000;
  for (int attempt = 0;; ++attempt) {
    if (linux_::kernel().unlinkat(AT_FDCWD, dir.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) {
      return;
    }
    if (errno != EBUSY || attempt >= 220) throw Error::sys("removing cgroup " + dir);
    struct timespec ts = {0, wait_ns};
    nanosleep(&ts, nullptr);
    wait_ns = std::min(wait_ns * 2, 10L * 1000 * 1000);
  }
}

namespace {

void collect(const std::string& dir, std::vector<std::string>& out) {
  auto d = linux_::DirNames::try_open(dir);
  if (!d) {
    if (errno == ENOENT) return;
    throw Error::sys("listing cgroup " + dir);
  }
  std::vector<std::string> children;
  while (d->next()) {
    // In a cgroup filesystem every directory is a child cgroup.
    if (d->type() != DT_DIR || d->name()[0] == '.') continue;
    children.push_back(dir + "/" + d->name());
  }
  d.reset();  // closed before recursing: one open directory at a time
  for (const auto& c : children) collect(c, out);
  out.push_back(dir);
}

}  // namespace

std::vector<std::string> subtree(const std::string& dir) {
  std::vector<std::string> out;
  collect(dir, out);
  return out;
}

void remove_tree(const std::string& dir) {
  for (const auto& d : subtree(dir)) remove_dir(d);
}

std::vector<pid_t> read_pids_below(const std::string& dir) {
  std::vector<pid_t> out;
  for (const auto& d : subtree(dir)) {
    auto pids = read_pids(d + "/cgroup.procs");
    out.insert(out.end(), pids.begin(), pids.end());
  }
  return out;
}

std::string first_missing(const std::string& mountpoint, const std::string& dir) {
  size_t pos = mountpoint.size();
  while (pos < dir.size()) {
    size_t next = dir.find('/', pos + 1);
    if (next == std::string::npos) next = dir.size();
    std::string prefix = dir.substr(0, next);
    if (!linux_::exists(prefix)) return prefix;
    pos = next;
  }
  return "";
}

void kill_below(const std::string& dir) {
  for (int round = 0; round < 100; ++round) {
    auto left = read_pids_below(dir);
    if (left.empty()) return;
    for (pid_t pid : left) {
      // One that exited meanwhile (ESRCH) is what this waits for.
      if (linux_::kernel().kill(pid, SIGKILL) < 0 && errno != ESRCH) {
        throw Error::sys("killing " + std::to_string(pid) + " in cgroup " + dir);
      }
    }
    struct timespec ts = {0, 1000 * 1000};
    nanosleep(&ts, nullptr);
  }
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

bool has_controller(const std::string& names, const std::string& controller) {
  size_t pos = 0;
  while (pos <= names.size()) {
    size_t end = names.find(',', pos);
    if (end == std::string::npos) end = names.size();
    if (names.compare(pos, end - pos, controller) == 0) return true;
    pos = end + 1;
  }
  return false;
}

std::string join(const std::string& mountpoint, const std::string& path) {
  if (path.empty() || path == "/") return mountpoint;
  return mountpoint + (path.front() == '/' ? "" : "/") + path;
}

}  // namespace hull::cgroups
