#include "linux/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hull/error.hpp"
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

void write_file_atomic(const std::string& path, std::string_view content, unsigned mode) {
  std::string tmp = path + ".tmp" + std::to_string(::getpid());
  write_file(tmp, content, true, mode);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw Error::sys("renaming " + tmp + " to " + path, err);
  }
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
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error::sys("reading " + path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

void write_file(const std::string& path, std::string_view content, bool create, unsigned mode) {
  int flags = O_WRONLY | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0);
  Fd fd(::open(path.c_str(), flags, mode));
  if (!fd) throw Error::sys("opening " + path);
  write_all(fd.get(), content, path);
}

void write_file_at(int dirfd, const std::string& path, std::string_view content) {
  Fd fd(::openat(dirfd, path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) throw Error::sys("opening " + path);
  write_all(fd.get(), content, path);
}

bool mkdir_p(const std::string& path, unsigned mode) {
  if (::mkdir(path.c_str(), mode) == 0) return true;
  if (errno == EEXIST) return false;
  if (errno != ENOENT) throw Error::sys("creating directory " + path);
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos || slash == 0) throw Error::sys("creating directory " + path);
  mkdir_p(path.substr(0, slash), mode);
  if (::mkdir(path.c_str(), mode) == 0) return true;
  if (errno == EEXIST) return false;
  throw Error::sys("creating directory " + path);
}

bool exists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

}  // namespace hull::linux_
