// Translating a mount's "options" list into mount(2) flags, propagation, data and the
// recursive attributes applied with mount_setattr(2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hull::rootfs {

struct MountOptions {
  unsigned long flags = 0;                 // MS_* for mount(2)
  std::vector<unsigned long> propagation;  // MS_SHARED/SLAVE/PRIVATE/UNBINDABLE (+MS_REC)
  std::string data;                        // filesystem-specific options, comma separated
  uint64_t attr_set = 0;                   // MOUNT_ATTR_* for the recursive "r" options
  uint64_t attr_clr = 0;
  bool recursive_attrs = false;
  bool idmap = false;  // "idmap" / "ridmap"
  bool bind() const;
};

// Throws hull::Error naming the option when it is unknown to mount(2) and looks like a flag
// ("rro" with no kernel support, ...); unknown ones pass to the filesystem as data.
MountOptions parse_mount_options(const std::vector<std::string>& options);

// Every option name parse_mount_options understands itself (for `hull features`).
std::vector<std::string> known_mount_options();

}  // namespace hull::rootfs
