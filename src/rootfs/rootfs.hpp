// Building the container's root filesystem, in the order runtime-spec and runc use:
// prepare (propagation, rootfs bind) -> mounts -> devices -> pivot_root -> finalize
// (masked and readonly paths, read-only root, rootfs propagation).
#pragma once

#include <string>
#include <vector>

#include "linux/cgroup_hierarchy.hpp"
#include "linux/fd.hpp"
#include "spec/model.hpp"

namespace hull::rootfs {

struct Context {
  const spec::Spec* spec = nullptr;
  std::string bundle;  // absolute
  std::string rootfs;  // absolute
  bool new_userns = false;
  bool new_cgroupns = false;
  bool no_pivot = false;
  // The container's cgroup in each hierarchy (cgroups::Manager::hierarchies), bound in by a
  // cgroup mount: the v1 ones, or the single v2 one with an empty name.
  const std::vector<linux_::CgroupHierarchy>* cgroups = nullptr;
  // O_PATH fds of the bind mounts' sources, by mount index (invalid for other mounts);
  // null: resolve the sources by path when mounting.
  const std::vector<linux_::Fd>* bind_sources = nullptr;
};

// An O_PATH fd of ctx.rootfs; throws naming it.
linux_::Fd open_rootfs(const Context& ctx);

// Opens every bind source of the config (O_PATH), for a caller about to lose the right to
// traverse to them.
std::vector<linux_::Fd> open_bind_sources(const Context& ctx);

// A read-only tmpfs or /dev is mounted writable and made read-only in finalize, once what
// goes inside it (devices, symlinks, /dev/pts, /dev/shm, /dev/mqueue, nested mounts) is there.
struct MountOptions;
bool readonly_later(const spec::Mount& m, const MountOptions& o);

// Runs in the container's new mount namespace, before pivot_root.
void prepare(const Context& ctx);
void mount_all(const Context& ctx);
void create_devices(const Context& ctx);
// Creates process.cwd inside the rootfs when missing (before a read-only root forbids it).
void create_cwd(const Context& ctx, const std::string& cwd);
// Makes the rootfs the process's "/" (pivot_root, or MS_MOVE + chroot with no_pivot).
void enter_root(const Context& ctx);
// Runs after enter_root, inside the new root.
void finalize(const Context& ctx);

// Mounts the pty slave at /dev/console inside the (entered) root.
void mount_console(const std::string& slave_path);

}  // namespace hull::rootfs
