// cgroup v1 (also the hybrid layout): one directory per mounted hierarchy.
#include "cgroups/v1.hpp"

#include <time.h>

#include "cgroups/fs_util.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"

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

}  // namespace

V1Manager::V1Manager(std::string path, std::vector<Hierarchy> hierarchies)
    : path_(std::move(path)), hierarchies_(std::move(hierarchies)) {}

void V1Manager::create() {
  for (const auto& h : hierarchies_) {
    with_context("cgroup " + h.dir, [&] {
      linux_::mkdir_p(h.dir);
      if (h.name == "cpuset") fill_cpuset(h.mountpoint, h.dir.substr(h.mountpoint.size()));
    });
  }
}

void V1Manager::add(pid_t pid) {
  for (const auto& h : hierarchies_) write_pid(h.dir + "/cgroup.procs", pid);
}

std::vector<pid_t> V1Manager::pids() const {
  for (const auto& h : hierarchies_) {
    if (h.name == "pids" || h.name == "freezer") return read_pids(h.dir + "/cgroup.procs");
  }
  return hierarchies_.empty() ? std::vector<pid_t>{}
                              : read_pids(hierarchies_.front().dir + "/cgroup.procs");
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

void V1Manager::destroy() {
  for (const auto& h : hierarchies_) remove_dir(h.dir);
}

}  // namespace hull::cgroups
