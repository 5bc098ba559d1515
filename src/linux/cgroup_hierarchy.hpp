// One cgroup hierarchy the container's cgroup lives in, as cgroups/ finds it and rootfs/
// bind-mounts it into the container: a fact about the host's mounts, so it sits below both.
#pragma once

#include <string>

namespace hull::linux_ {

struct CgroupHierarchy {
  std::string name;        // "cpu", "name=systemd", "" for the v2 one
  std::string mountpoint;  // /sys/fs/cgroup/cpu
  std::string dir;         // mountpoint + path
};

}  // namespace hull::linux_
