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

// Pure, never throws. An option it does not know passes to the filesystem as data (as runc
// does), so mount(2) is what refuses it, and the mount's error names the entry; the "r"
// options need mount_setattr(2), whose absence is reported when the mount is made.
MountOptions parse_mount_options(const std::vector<std::string>& options);

// Every option name parse_mount_options understands itself (for `hull features`).
std::vector<std::string> known_mount_options();

}  // namespace hull::rootfs
