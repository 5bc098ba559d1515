#include "rootfs/resolve.hpp"

#include <fcntl.h>

#include "hull/error.hpp"
#include "linux/in_root.hpp"

namespace hull::rootfs {

linux_::Fd open_in_root(int root_fd, const std::string& path, int flags) {
  return linux_::open_in_root(root_fd, path, O_PATH | flags);
}

linux_::Fd ensure_in_root(int root_fd, const std::string& path, Kind kind, unsigned mode) {
  linux_::Fd fd = open_in_root(root_fd, path);
  if (fd) return fd;
  if (errno != ENOENT) throw Error::sys("resolving " + path + " in the rootfs");
  fd = linux_::walk_in_root(root_fd, path,
                            kind == Kind::kFile ? linux_::Make::kFile : linux_::Make::kDirs, mode);
  if (!fd) throw Error::sys("resolving " + path + " in the rootfs (making what is missing)");
  return fd;
}

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace hull::rootfs
