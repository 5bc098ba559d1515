// The one way to open a path inside a root directory as if that directory were "/": openat2
// with RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS, so ".." stops at the root and a symlink
// (absolute or relative) resolves inside it, never outside. The rootfs (mount destinations,
// devices) and oci-image (paths from layers) both go through here.
#pragma once

#include <string_view>

#include "linux/fd.hpp"

namespace hull::linux_ {

// Opens path below root_fd ("", "/" and "." are the root itself; a leading "/" is the root).
// O_CLOEXEC is added. Returns an invalid Fd with errno set on failure (ENOENT, ELOOP, EXDEV,
// EAGAIN when every retry lost a race with a rename, ...).
Fd open_in_root(int root_fd, std::string_view path, int flags, unsigned mode = 0);

// What walk_in_root makes where a component is missing.
enum class Make {
  kNothing,  // nothing: a missing component is ENOENT
  kDirs,     // every missing component a directory
  kFile,     // the same, but the last one an empty file (0644, O_EXCL|O_NOFOLLOW)
};

// Opens path below root_fd with the same semantics as open_in_root, one component at a time
// (for any length, and to make what is missing: mode for directories). The result must be a
// directory unless make is kFile (then a file, or a directory standing there).
// Symlinks met on the way are followed inside the root, dangling ones too (their target is
// what gets made, as runc does for mount destinations); at most 40 of them (ELOOP). Walks one
// component at a time with O_PATH descriptors, never more than two open whatever the depth or
// length; ".." climbs through the fd and must land on the directory met on the way down
// (EXDEV when it was moved meanwhile). Returns an O_PATH fd of the result, or an invalid Fd
// with errno set (ENOTDIR when a component that must be a directory is something else).
Fd walk_in_root(int root_fd, std::string_view path, Make make, unsigned mode = 0755);

}  // namespace hull::linux_
