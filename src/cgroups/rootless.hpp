// Cgroups for a caller that is not root, by runc's rootless rules: a cgroup the caller was
// delegated (it owns the directory and its cgroup.procs) is used as root's would be, limits
// included; without one the container runs in the caller's own cgroups with a warning, and
// only a config that asks for limits (or names a cgroupsPath) fails. Device rules are never
// written: an unprivileged caller can neither load the v2 eBPF program nor write devices.allow.
#pragma once

#include <memory>
#include <string>

#include "cgroups/manager.hpp"
#include "spec/model.hpp"

namespace hull::cgroups {

// The cgroupsPath a rootless container gets when its config names none (runc's): on v2 a
// sibling of the caller's own cgroup, in the parent it was delegated (the caller's own
// cgroup has processes, so it cannot hold child cgroups with controllers); on v1 relative
// to the caller's cgroup in each hierarchy.
std::string rootless_default_path(const std::string& id, Layout layout, const std::string& own_v2);

// The first directory of m (or, for one not made yet, the existing parent it would be made
// in) the caller cannot write; "" when it can make and join the cgroup on every hierarchy.
std::string unwritable_dir(const Manager& m);

// The field below /linux/resources ("memory/limit") of the first limit r asks for, "" when
// none; device rules do not count.
std::string first_limit(const spec::LinuxResources& r);

// A manager without a cgroup for a rootless caller (none.cpp): why says what was not
// writable; apply() fails naming the first limit the config asks for; view: the caller's own
// cgroups, its mount_view().
std::unique_ptr<Manager> no_writable_cgroup(std::string why,
                                            std::vector<Manager::Hierarchy> view = {});

// What open_manager gives a rootless caller: fs itself when the caller can write its cgroup
// (device rules off), a manager without a cgroup (with a warning) when it cannot and
// cgroups_path is empty, and an error naming /linux/cgroupsPath when a named one is not
// writable.
std::unique_ptr<Manager> rootless_manager(std::unique_ptr<Manager> fs,
                                          const std::string& cgroups_path);

}  // namespace hull::cgroups
