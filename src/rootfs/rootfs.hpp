// Building the container's root filesystem, in the order runtime-spec and runc use:
// prepare (propagation, rootfs bind) -> mounts -> devices -> pivot_root -> finalize
// (masked and readonly paths, read-only root, rootfs propagation).
#pragma once

#include <string>

#include "cgroups/manager.hpp"
#include "spec/model.hpp"

namespace hull::rootfs {

struct Context {
  const spec::Spec* spec = nullptr;
  std::string bundle;  // absolute
  std::string rootfs;  // absolute
  bool new_userns = false;
  bool new_cgroupns = false;
  bool no_pivot = false;
  const cgroups::Manager* cgroup = nullptr;
};

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
