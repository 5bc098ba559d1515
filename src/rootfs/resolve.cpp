#include "rootfs/resolve.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <deque>
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

// The kernel's own bound on symlinks followed in one lookup.
constexpr int kMaxLinks = 40;

// The target of the symlink open (O_PATH | O_NOFOLLOW) as fd; name is for errors.
std::string link_target(int fd, const std::string& name) {
  std::string buf(PATH_MAX, '\0');
  ssize_t n = ::readlinkat(fd, "", buf.data(), buf.size());
  if (n < 0) throw Error::sys("reading the symlink " + name + " in the rootfs");
  if (n == 0 || static_cast<size_t>(n) >= buf.size()) {
    throw Error("reading the symlink " + name + " in the rootfs: empty or too long");
  }
  buf.resize(static_cast<size_t>(n));
  return buf;
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
  // Walk the path one component at a time. `done` is a real path inside the root with no
  // symlink in it, so ".." is lexical there and stops at the root; a symlink met on the way
  // (dangling ones included, as runc follows them) is replaced by its target, an absolute
  // target restarting at the root. What is missing is created at the place the links lead.
  std::deque<std::string> todo;
  for (auto& p : split(path)) todo.push_back(std::move(p));
  std::string done;
  int links = 0;
  int steps = 0;
  while (!todo.empty()) {
    // Each link adds at most PATH_MAX/2 parts; anything past this bound is a loop of
    // creations someone keeps undoing.
    if (++steps > kMaxLinks * (PATH_MAX / 2) + 1024) {
      throw Error("resolving " + path + " in the rootfs: it keeps changing under the lookup");
    }
    std::string part = std::move(todo.front());
    todo.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      auto slash = done.find_last_of('/');
      done.erase(slash == std::string::npos ? 0 : slash);
      continue;
    }
    std::string next = done + "/" + part;
    linux_::Fd cur = open_in_root(root_fd, next, O_NOFOLLOW);
    if (cur) {
      struct stat st;
      if (::fstat(cur.get(), &st) < 0) throw Error::sys("resolving " + next + " in the rootfs");
      if (S_ISLNK(st.st_mode)) {
        if (++links > kMaxLinks) {
          throw Error::sys("resolving " + path + " in the rootfs (at " + next + ")", ELOOP);
        }
        std::string target = link_target(cur.get(), next);
        auto parts = split(target);
        todo.insert(todo.begin(), parts.begin(), parts.end());
        if (target.front() == '/') done.clear();
        continue;
      }
      done = std::move(next);
      continue;
    }
    if (errno != ENOENT) throw Error::sys("resolving " + next + " in the rootfs");
    std::string parent = done.empty() ? "/" : done;
    linux_::Fd dir = open_in_root(root_fd, parent, O_DIRECTORY);
    if (!dir) throw Error::sys("resolving " + parent + " in the rootfs");
    if (todo.empty() && kind == Kind::kFile) {
      int f = ::openat(dir.get(), part.c_str(),
                       O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
      if (f < 0 && errno != EEXIST) throw Error::sys("creating " + next);
      if (f >= 0) ::close(f);
    } else if (::mkdirat(dir.get(), part.c_str(), mode) < 0 && errno != EEXIST) {
      throw Error::sys("creating directory " + next);
    }
    // Created, or made by someone else meanwhile: either way look at it again.
    todo.push_front(std::move(part));
  }
  fd = open_in_root(root_fd, done.empty() ? "/" : done);
  if (!fd) throw Error::sys("resolving " + path + " in the rootfs");
  return fd;
}

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

}  // namespace hull::rootfs
