#include "rootfs/resolve.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include "hull/error.hpp"
#include "linux/in_root.hpp"
#include "linux/kernel.hpp"

namespace hull::rootfs {
namespace {

// The usual missing destination: its parent is there and only the last component is absent.
// It is made right in the parent resolved once, instead of a second walk from the root one
// component at a time. An invalid Fd means "not that case" (no parent, a dangling symlink or
// something else standing there, a race): walk_in_root then decides. A failure to make it
// throws, naming path.
linux_::Fd make_last(int root_fd, const std::string& path, Kind kind, unsigned mode) {
  auto slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  if (name.empty() || name == "." || name == "..") return {};
  linux_::Fd parent =
      open_in_root(root_fd, slash == std::string::npos ? "/" : path.substr(0, slash), O_DIRECTORY);
  if (!parent) return {};
  linux_::Kernel& k = linux_::kernel();
  if (kind == Kind::kDir) {
    if (k.mkdirat(parent.get(), name.c_str(), mode) != 0) {
      if (errno == EEXIST) return {};
      throw Error::sys("resolving " + path + " in the rootfs (making what is missing)");
    }
  } else {
    linux_::Fd f(k.openat(parent.get(), name.c_str(),
                          O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!f) {
      if (errno == EEXIST) return {};
      throw Error::sys("resolving " + path + " in the rootfs (making what is missing)");
    }
  }
  // What was just made, never a symlink swapped in since: O_NOFOLLOW, and for a directory
  // O_DIRECTORY (a symlink is then ENOTDIR), for a file a look at its type.
  int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC | (kind == Kind::kDir ? O_DIRECTORY : 0);
  linux_::Fd fd(k.openat(parent.get(), name.c_str(), flags, 0));
  if (fd && kind == Kind::kFile) {
    struct stat st;
    if (::fstat(fd.get(), &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode))) return {};
  }
  return fd;
}

}  // namespace

linux_::Fd open_in_root(int root_fd, const std::string& path, int flags) {
  return linux_::open_in_root(root_fd, path, O_PATH | flags);
}

linux_::Fd ensure_in_root(int root_fd, const std::string& path, Kind kind, unsigned mode) {
  linux_::Fd fd = open_in_root(root_fd, path);
  if (fd) return fd;
  if (errno != ENOENT) throw Error::sys("resolving " + path + " in the rootfs");
  fd = make_last(root_fd, path, kind, mode);
  if (fd) return fd;
  fd = linux_::walk_in_root(root_fd, path,
                            kind == Kind::kFile ? linux_::Make::kFile : linux_::Make::kDirs, mode);
  if (!fd) throw Error::sys("resolving " + path + " in the rootfs (making what is missing)");
  return fd;
}

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace hull::rootfs
