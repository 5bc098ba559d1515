// Paths inside the rootfs, resolved as if the rootfs were "/" (openat2 RESOLVE_IN_ROOT): a
// symlink or ".." planted in the rootfs can never lead a mount or a write to the host.
#pragma once

#include <string>

#include "linux/fd.hpp"

namespace hull::rootfs {

enum class Kind { kDir, kFile };

// Opens path (absolute, inside the root) as an O_PATH fd; -1 fd with errno when missing.
linux_::Fd open_in_root(int root_fd, const std::string& path, int flags = 0);

// Opens path, creating what is missing (parents as directories, the last as `kind`) through
// linux_::walk_in_root; throws naming path.
linux_::Fd ensure_in_root(int root_fd, const std::string& path, Kind kind, unsigned mode = 0755);

// "/proc/self/fd/N": the name under which mount(2) reaches an O_PATH fd's object.
std::string fd_path(int fd);

}  // namespace hull::rootfs
