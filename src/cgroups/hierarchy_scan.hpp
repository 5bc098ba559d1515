// Reads the host's cgroup mounts and this process's own cgroup membership.
#pragma once

#include <string>
#include <vector>

namespace hull::cgroups {

struct MountedHierarchy {
  std::string name;  // controllers joined by ',' ("cpu", "name=systemd"), "" for cgroup2
  std::string mountpoint;
  bool v2 = false;
};

std::vector<MountedHierarchy> mounted_hierarchies();

// The path of this process's cgroup in the hierarchy named `name` ("" = the v2 one), from
// /proc/self/cgroup; "/" when not listed.
std::string own_cgroup(const std::string& name);

}  // namespace hull::cgroups
