#include "net/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include "hull/error.hpp"
#include "linux/bounded_read.hpp"

namespace hull::net {

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

int Fd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

FileLock::FileLock(const std::string& path)
    : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
  if (!fd_) throw Error::sys("opening lock file " + path);
  while (::flock(fd_.get(), LOCK_EX) != 0)
    if (errno != EINTR) throw Error::sys("locking " + path);
}

std::string read_file(const std::string& path, size_t limit) {
  return linux_::read_file_bounded(path, limit);
}

namespace {
void write_all(int fd, const std::string& content, const std::string& path) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error::sys("writing " + path);
    done += static_cast<size_t>(n);
  }
}
}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp";
  {
    Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) throw Error::sys("writing " + tmp);
    write_all(fd.get(), content, tmp);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) throw Error::sys("renaming " + tmp + " to " + path);
}

void write_file_in_place(const std::string& path, const std::string& content) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) throw Error::sys("writing " + path);
  write_all(fd.get(), content, path);
}

void make_dirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) throw Error("creating directory " + path + ": " + ec.message(), ec.value());
}

}  // namespace hull::net
