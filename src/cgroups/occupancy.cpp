#include "cgroups/occupancy.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sstream>

#include "cgroups/fs_util.hpp"
#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {
namespace {

std::string strip_slashes(std::string p) {
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

// The caller's cgroup directory on hierarchy h ("" when /proc/self/cgroup does not name it).
std::string own_dir(const Manager::Hierarchy& h, const std::string& self_cgroup) {
  std::istringstream in(self_cgroup);
  std::string line;
  while (std::getline(in, line)) {
    auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string names = line.substr(a + 1, b - a - 1), path = line.substr(b + 1);
    bool match =
        h.name.empty() ? names.empty() : (names == h.name || has_controller(names, h.name));
    if (match) return join(h.mountpoint, path);
  }
  return "";
}

}  // namespace

void refuse_host_cgroup(const Manager& m, const std::string& field) {
  std::string self = linux_::try_read_file("/proc/self/cgroup").value_or("");
  for (const auto& h : m.hierarchies()) {
    std::string dir = strip_slashes(h.dir);
    if (dir == strip_slashes(h.mountpoint)) {
      throw Error(field + ": " + dir +
                  " is the root of its cgroup hierarchy: a container cannot own it");
    }
    std::string own = own_dir(h, self);
    if (!own.empty() && dir == strip_slashes(own)) {
      throw Error(field + ": " + dir +
                  " is the cgroup of the runtime's caller: a container cannot own it");
    }
  }
}

size_t count_occupants(const Manager& m) {
  if (m.hierarchies().empty()) return 0;
  return m.pids().size();
}

void remove_leaving_occupants(const Manager& m) {
  for (const auto& h : m.hierarchies()) {
    std::string dir = strip_slashes(h.dir);
    if (linux_::kernel().unlinkat(AT_FDCWD, dir.c_str(), AT_REMOVEDIR) == 0 || errno == ENOENT) {
      continue;
    }
    int err = errno;
    size_t left = read_pids_below(dir).size();
    warn("cgroup " + dir + " not removed: " + std::to_string(left) +
         " process(es) that are not the container's are still in it (" + strerror(err) + ")");
  }
}

}  // namespace hull::cgroups
