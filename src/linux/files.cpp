#include "linux/files.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "hull/error.hpp"
#include "linux/bounded_read.hpp"
#include "linux/fd.hpp"

namespace hull::linux_ {
void write_all(int fd, std::string_view content, const std::string& path) {
  while (!content.empty()) {
    ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error::sys("writing " + path);
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
}

void write_file_atomic_at(int dirfd, const std::string& name, std::string_view content,
                          unsigned mode, const std::string& what) {
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    throw Error("writing " + what + ": not a file name");
  }
  // Created only if nothing (not even a dangling symlink) is at the temporary name, so a
  // planted file or link cannot redirect the write: first runc's name (".NAME"), then random
  // ones if something is there. rename replaces a symlink at the target itself rather than
  // writing through it (runc does the same for its pid file).
  std::string tmp = "." + name;
  Fd fd;
  for (int attempt = 0; attempt < 16; ++attempt) {
    if (attempt > 0) {
      uint64_t r = 0;
      if (::getrandom(&r, sizeof(r), 0) != sizeof(r)) throw Error::sys("getrandom");
      char suffix[17];
      std::snprintf(suffix, sizeof(suffix), "%016llx", static_cast<unsigned long long>(r));
      tmp = "." + name + "." + suffix;
    }
    fd = Fd(
        ::openat(dirfd, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode));
    if (fd) break;
    if (errno != EEXIST) throw Error::sys("creating a temporary file beside " + what);
  }
  try {
    write_all(fd.get(), content, what);
    fd.reset();
    if (::renameat(dirfd, tmp.c_str(), dirfd, name.c_str()) != 0) {
      throw Error::sys("renaming " + tmp + " to " + what);
    }
  } catch (...) {
    ::unlinkat(dirfd, tmp.c_str(), 0);
    throw;
  }
}

void write_file_atomic(const std::string& path, std::string_view content, unsigned mode) {
  auto slash = path.find_last_of('/');
  std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  Fd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dirfd) throw Error::sys("opening directory " + dir + " to write " + path);
  write_file_atomic_at(dirfd.get(), name, content, mode, path);
}

std::string read_file(const std::string& path) {
  auto text = try_read_file(path);
  if (!text) throw Error::sys("opening " + path, ENOENT);
  return *text;
}

std::optional<std::string> try_read_file(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd && errno == ENOENT) return std::nullopt;
  if (!fd) throw Error::sys("opening " + path);
  // Kernel and system files (cgroup, /proc, /etc/passwd): read whole, with no size limit.
  return read_fd_bounded(fd.get(), SIZE_MAX, path);
}

void write_file(const std::string& path, std::string_view content, bool create, unsigned mode) {
  int flags = O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0);
  Fd fd(::open(path.c_str(), flags, mode));
  if (!fd) throw Error::sys("opening " + path);
  write_all(fd.get(), content, path);
}

bool mkdir_p(const std::string& path, unsigned mode) {
  // Every missing ancestor, nearest first, then made outermost first. Something other than a
  // directory (after symlinks) on the way is an error naming it.
  std::vector<std::string> missing;
  for (std::string p = path; !p.empty();) {
    struct stat st;
    if (::stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) throw Error(p + ": exists and is not a directory");
      break;
    }
    if (errno != ENOENT && errno != ENOTDIR) {
      throw Error::sys("creating directory " + path + " (at " + p + ")");
    }
    missing.push_back(p);
    auto slash = p.find_last_of('/');
    p = slash == std::string::npos || slash == 0 ? std::string() : p.substr(0, slash);
  }
  bool made = false;
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    made = ::mkdir(it->c_str(), mode) == 0;
    if (made) continue;
    struct stat st;
    // Made meanwhile by someone else: fine if it is a directory.
    if (errno != EEXIST) throw Error::sys("creating directory " + *it);
    if (::stat(it->c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      throw Error(*it + ": exists and is not a directory");
    }
  }
  return made;
}

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace hull::linux_
