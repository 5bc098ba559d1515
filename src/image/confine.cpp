#include "image/confine.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "hull/error.hpp"
#include "linux/syscalls.hpp"

namespace hull::image {

std::string clean_name(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= name.size()) {
    size_t j = name.find('/', i);
    if (j == std::string_view::npos) j = name.size();
    std::string_view part = name.substr(i, j - i);
    if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  for (auto p : parts) {
    if (!out.empty()) out += '/';
    out += p;
  }
  return out;
}

std::pair<std::string, std::string> split_name(const std::string& name) {
  auto slash = name.find_last_of('/');
  if (slash == std::string::npos) return {"", name};
  return {name.substr(0, slash), name.substr(slash + 1)};
}

namespace {

int openat2_in_root(int root_fd, const std::string& rel, uint64_t flags) {
  const char* path = rel.empty() ? "." : rel.c_str();
  return linux_::openat2_raw(root_fd, path, flags | O_CLOEXEC, 0,
                             RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

}  // namespace

Fd open_dir_in_root(int root_fd, const std::string& rel) {
  return Fd(openat2_in_root(root_fd, rel, O_RDONLY | O_DIRECTORY));
}

Fd open_file_in_root(int root_fd, const std::string& rel) {
  Fd fd(openat2_in_root(root_fd, rel, O_RDONLY | O_NOCTTY));
  if (!fd) throw Error::sys("opening " + rel + " in the rootfs");
  return fd;
}

namespace {

// links counts the dangling symlinks followed so far, so a loop of them ends in an error.
Fd make_dir_following(int root_fd, const std::string& rel, int& links) {
  Fd fd = open_dir_in_root(root_fd, rel);
  if (fd) return fd;
  if (errno == ENOTDIR) throw Error(rel + ": a path component is not a directory");
  if (errno != ENOENT || rel.empty()) throw Error::sys("opening directory " + rel);
  auto [parent, base] = split_name(rel);
  Fd pfd = make_dir_following(root_fd, parent, links);
  if (::mkdirat(pfd.get(), base.c_str(), 0755) != 0) {
    if (errno != EEXIST) throw Error::sys("making directory " + rel);
    // A dangling symlink: make the directory where it points, as seen from inside the root.
    char target[4096];
    ssize_t n = ::readlinkat(pfd.get(), base.c_str(), target, sizeof target - 1);
    if (n < 0) throw Error::sys("opening directory " + rel);
    if (++links > 40) throw Error(rel + ": too many levels of symbolic links");
    std::string t(target, static_cast<size_t>(n));
    make_dir_following(root_fd, clean_name(t[0] == '/' ? t : parent + "/" + t), links);
  }
  fd = open_dir_in_root(root_fd, rel);
  if (!fd) throw Error::sys("opening directory " + rel);
  return fd;
}

}  // namespace

Fd make_dir_in_root(int root_fd, const std::string& rel) {
  int links = 0;
  return make_dir_following(root_fd, rel, links);
}

std::string fd_path(int dirfd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(dirfd) + "/" + name;
}

}  // namespace hull::image
