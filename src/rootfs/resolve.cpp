#include "rootfs/resolve.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>

#include <vector>

#include "hull/error.hpp"
#include "linux/syscalls.hpp"

namespace hull::rootfs {
namespace {

constexpr uint64_t kResolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) parts.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return parts;
}

}  // namespace

linux_::Fd open_in_root(int root_fd, const std::string& path, int flags) {
  std::string rel = path;
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  if (rel.empty()) rel = ".";
  int fd = linux_::openat2_raw(root_fd, rel.c_str(), O_PATH | O_CLOEXEC | flags, 0, kResolve);
  return linux_::Fd(fd);
}

linux_::Fd ensure_in_root(int root_fd, const std::string& path, Kind kind, unsigned mode) {
  linux_::Fd fd = open_in_root(root_fd, path);
  if (fd) return fd;
  if (errno != ENOENT) throw Error::sys("resolving " + path + " in the rootfs");
  auto parts = split(path);
  std::string prefix;
  for (size_t i = 0; i < parts.size(); ++i) {
    std::string parent = prefix.empty() ? "/" : prefix;
    prefix += "/" + parts[i];
    linux_::Fd cur = open_in_root(root_fd, prefix);
    if (cur) continue;
    if (errno != ENOENT) throw Error::sys("resolving " + prefix + " in the rootfs");
    linux_::Fd dir = open_in_root(root_fd, parent, O_DIRECTORY);
    if (!dir) throw Error::sys("resolving " + parent + " in the rootfs");
    bool last = i + 1 == parts.size();
    if (last && kind == Kind::kFile) {
      int f = ::openat(dir.get(), parts[i].c_str(),
                       O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (f < 0 && errno != EEXIST) throw Error::sys("creating " + prefix);
      if (f >= 0) ::close(f);
    } else if (::mkdirat(dir.get(), parts[i].c_str(), mode) < 0 && errno != EEXIST) {
      throw Error::sys("creating directory " + prefix);
    }
  }
  fd = open_in_root(root_fd, path);
  if (!fd) throw Error::sys("resolving " + path + " in the rootfs");
  return fd;
}

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace hull::rootfs
