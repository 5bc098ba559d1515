#include "linux/in_root.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include "linux/syscalls.hpp"

namespace hull::linux_ {
namespace {

constexpr uint64_t kInRoot = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
// The kernel's own bound on symlinks followed in one lookup.
constexpr int kMaxLinks = 40;

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

int openat_eintr(int dirfd, const char* name, int flags, unsigned mode = 0) {
  int fd;
  do {
    fd = ::openat(dirfd, name, flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

Fd dup_root(int root_fd) {
  return Fd(::fcntl(root_fd, F_DUPFD_CLOEXEC, 0));
}

struct Level {
  dev_t dev;
  ino_t ino;
};

}  // namespace

Fd open_in_root(int root_fd, std::string_view path, int flags, unsigned mode) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string rel = path.empty() ? std::string(".") : std::string(path);
  return Fd(
      openat2_raw(root_fd, rel.c_str(), static_cast<uint64_t>(flags | O_CLOEXEC), mode, kInRoot));
}

Fd walk_in_root(int root_fd, std::string_view path, Make make, unsigned mode) {
  std::vector<std::string> todo = components(path);
  std::reverse(todo.begin(), todo.end());  // the next component at the back
  std::vector<Level> levels;               // the directories below root_fd we are in
  Fd cur = dup_root(root_fd);
  if (!cur) return cur;
  int links = 0;
  bool just_made = false;
  while (!todo.empty()) {
    std::string c = std::move(todo.back());
    todo.pop_back();
    if (c == ".") continue;
    if (c == "..") {
      if (levels.empty()) continue;  // ".." of the root is the root
      levels.pop_back();
      Fd up = levels.empty() ? dup_root(root_fd) : Fd(openat_eintr(cur.get(), "..", O_PATH));
      struct stat st;
      if (!up || ::fstat(up.get(), &st) != 0) return Fd();
      if (!levels.empty() && (st.st_dev != levels.back().dev || st.st_ino != levels.back().ino)) {
        errno = EXDEV;  // moved under us: refuse rather than climb somewhere else
        return Fd();
      }
      cur = std::move(up);
      continue;
    }
    bool is_last = todo.empty();
    Fd next(openat_eintr(cur.get(), c.c_str(), O_PATH | O_NOFOLLOW));
    if (!next) {
      if (errno != ENOENT || just_made || make == Make::kNothing) return Fd();
      // Missing: made here (a file only as the last component), then looked at again, so
      // that whatever stands there now (made by someone else meanwhile too) is what counts.
      if (is_last && make == Make::kFile) {
        Fd f(openat_eintr(cur.get(), c.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW, 0644));
        if (!f && errno != EEXIST) return Fd();
      } else if (::mkdirat(cur.get(), c.c_str(), mode) != 0 && errno != EEXIST) {
        return Fd();
      }
      todo.push_back(std::move(c));
      just_made = true;
      continue;
    }
    just_made = false;
    struct stat st;
    if (::fstat(next.get(), &st) != 0) return Fd();
    if (S_ISLNK(st.st_mode)) {
      if (++links > kMaxLinks) {
        errno = ELOOP;
        return Fd();
      }
      std::vector<char> target(static_cast<size_t>(st.st_size) + 2);
      ssize_t n = ::readlinkat(next.get(), "", target.data(), target.size());
      if (n < 0) return Fd();
      if (n == 0 || static_cast<size_t>(n) >= target.size()) {
        errno = n == 0 ? ENOENT : EAGAIN;  // empty, or changed while read
        return Fd();
      }
      std::string_view t(target.data(), static_cast<size_t>(n));
      auto parts = components(t);
      todo.insert(todo.end(), parts.rbegin(), parts.rend());
      if (t.front() == '/') {
        levels.clear();
        cur = dup_root(root_fd);
        if (!cur) return cur;
      }
      continue;
    }
    if (!S_ISDIR(st.st_mode)) {
      if (is_last && make == Make::kFile) return next;
      errno = ENOTDIR;
      return Fd();
    }
    levels.push_back(Level{st.st_dev, st.st_ino});
    cur = std::move(next);
  }
  // A directory where a file was asked for is what the caller gets, as openat2 would give.
  return cur;
}

}  // namespace hull::linux_
