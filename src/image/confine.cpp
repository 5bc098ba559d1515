#include "image/confine.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string_view>
#include <vector>

#include "hull/error.hpp"
#include "image/text.hpp"
#include "linux/in_root.hpp"
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

// openat2 takes paths below PATH_MAX; longer cleaned names are opened in pieces of this size.
constexpr size_t kPiece = 3072;

// The fast way: the first piece resolved by the kernel inside root_fd, every later piece only
// descending from there (a cleaned name holds no ".."), where a symlink is ELOOP and sends the
// caller the slow way. Returns an invalid Fd with errno set.
Fd open_dir_pieces(int root_fd, const std::string& rel, bool& later_piece_failed) {
  later_piece_failed = false;
  size_t start = 0;
  Fd cur;
  while (start < rel.size() || !cur) {
    size_t end = rel.size();
    if (end - start > kPiece) {
      end = rel.rfind('/', start + kPiece);
      if (end == std::string::npos || end <= start) {
        errno = ENAMETOOLONG;
        return Fd();
      }
    }
    std::string piece = rel.substr(start, end - start);
    if (!cur) {
      cur = linux_::open_in_root(root_fd, piece, O_RDONLY | O_DIRECTORY);
    } else {
      int fd = linux_::openat2_raw(cur.get(), piece.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0,
                                   RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS);
      if (fd < 0) later_piece_failed = true;
      cur = Fd(fd);
    }
    if (!cur) return cur;
    start = end + 1;
  }
  return cur;
}

// An O_PATH directory from linux_::walk_in_root, opened for reading (the image code lists and
// reads through it).
Fd readable(Fd path_fd) {
  if (!path_fd) return path_fd;
  return Fd(::openat(path_fd.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

}  // namespace

Fd open_dir_in_root(int root_fd, const std::string& rel) {
  bool slow = false;
  Fd fd = open_dir_pieces(root_fd, rel, slow);
  if (fd || !slow || errno != ELOOP) return fd;
  // A symlink past the first piece of a very long name.
  return readable(linux_::walk_in_root(root_fd, rel, linux_::Make::kNothing));
}

Fd open_file_in_root(int root_fd, const std::string& rel) {
  Fd fd = linux_::open_in_root(root_fd, rel, O_RDONLY | O_NOCTTY);
  if (!fd) throw Error::sys("opening " + shown(rel) + " in the rootfs");
  return fd;
}

Fd make_dir_in_root(int root_fd, const std::string& rel) {
  Fd fd = open_dir_in_root(root_fd, rel);
  if (!fd && errno == ENOENT && !rel.empty())
    fd = readable(linux_::walk_in_root(root_fd, rel, linux_::Make::kDirs));
  if (fd) return fd;
  if (errno == ENOTDIR) throw Error(shown(rel) + ": a path component is not a directory");
  if (errno == ELOOP) throw Error(shown(rel) + ": too many levels of symbolic links");
  if (errno == EXDEV) throw Error(shown(rel) + ": a directory was moved while it was made");
  throw Error::sys("making directory " + shown(rel));
}

std::string fd_path(int dirfd, const std::string& name) {
  return "/proc/self/fd/" + std::to_string(dirfd) + "/" + name;
}

}  // namespace hull::image
