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
      cur = Fd(openat2_in_root(root_fd, piece, O_RDONLY | O_DIRECTORY));
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

std::vector<std::string> components(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

struct Level {
  dev_t dev;
  ino_t ino;
};

// The slow way, for any length: one component at a time with the semantics of
// RESOLVE_IN_ROOT (symlinks read and resolved from root_fd, ".." stopping at it), making
// missing directories when make is set; a dangling symlink gets its target made. At most
// 40 symlinks, as the kernel allows. Never holds more than two descriptors, whatever the depth.
Fd walk_in_root(int root_fd, const std::string& rel, bool make) {
  std::vector<std::string> todo = components(rel);
  std::reverse(todo.begin(), todo.end());  // next component at the back
  std::vector<Level> levels;               // the directories below root_fd we are in
  Fd cur(::fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
  if (!cur) return cur;
  int links = 0;
  bool just_made = false;
  while (!todo.empty()) {
    std::string c = std::move(todo.back());
    todo.pop_back();
    if (c == ".") continue;
    if (c == "..") {
      if (levels.empty()) continue;
      levels.pop_back();
      Fd up(levels.empty() ? ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0)
                           : ::openat(cur.get(), "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
      struct stat st;
      if (!up || ::fstat(up.get(), &st) != 0) return Fd();
      if (!levels.empty() && (st.st_dev != levels.back().dev || st.st_ino != levels.back().ino)) {
        errno = EXDEV;  // moved under us: refuse rather than climb somewhere else
        return Fd();
      }
      cur = std::move(up);
      continue;
    }
    Fd next(::openat(cur.get(), c.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!next) {
      int err = errno;
      if (err == ENOENT && make && !just_made) {
        if (::mkdirat(cur.get(), c.c_str(), 0755) != 0 && errno != EEXIST) return Fd();
        todo.push_back(std::move(c));
        just_made = true;
        continue;
      }
      struct stat st;
      if ((err == ELOOP || err == ENOTDIR) &&
          ::fstatat(cur.get(), c.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
        if (++links > 40) {
          errno = ELOOP;
          return Fd();
        }
        std::vector<char> target(static_cast<size_t>(st.st_size) + 2);
        ssize_t n = ::readlinkat(cur.get(), c.c_str(), target.data(), target.size());
        if (n < 0) return Fd();
        if (static_cast<size_t>(n) >= target.size()) {
          errno = EAGAIN;  // changed while read: let the caller report it
          return Fd();
        }
        std::string_view t(target.data(), static_cast<size_t>(n));
        auto parts = components(t);
        todo.insert(todo.end(), parts.rbegin(), parts.rend());
        if (!t.empty() && t[0] == '/') {
          levels.clear();
          cur = Fd(::fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
          if (!cur) return cur;
        }
        just_made = false;
        continue;
      }
      errno = err;
      return Fd();
    }
    just_made = false;
    struct stat st;
    if (::fstat(next.get(), &st) != 0) return Fd();
    levels.push_back(Level{st.st_dev, st.st_ino});
    cur = std::move(next);
  }
  return cur;
}

}  // namespace

Fd open_dir_in_root(int root_fd, const std::string& rel) {
  bool slow = false;
  Fd fd = open_dir_pieces(root_fd, rel, slow);
  if (fd || !slow || errno != ELOOP) return fd;
  // A symlink past the first piece of a very long name.
  return walk_in_root(root_fd, rel, false);
}

Fd open_file_in_root(int root_fd, const std::string& rel) {
  Fd fd(openat2_in_root(root_fd, rel, O_RDONLY | O_NOCTTY));
  if (!fd) throw Error::sys("opening " + shown(rel) + " in the rootfs");
  return fd;
}

Fd make_dir_in_root(int root_fd, const std::string& rel) {
  Fd fd = open_dir_in_root(root_fd, rel);
  if (!fd && errno == ENOENT && !rel.empty()) fd = walk_in_root(root_fd, rel, true);
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
