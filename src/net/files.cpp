#include "net/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/bounded_read.hpp"
#include "linux/files.hpp"

namespace hull::net {

FileLock::FileLock(const std::string& path)
    : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
  if (!fd_) throw Error::sys("opening lock file " + path);
  while (::flock(fd_.get(), LOCK_EX) != 0)
    if (errno != EINTR) throw Error::sys("locking " + path);
}

std::string read_file(const std::string& path, size_t limit) {
  return linux_::read_file_bounded(path, limit);
}

void write_file_in_place(const std::string& path, const std::string& content) {
  Fd fd(::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) throw Error::sys("writing " + path);
  linux_::write_all(fd.get(), content, path);
}

}  // namespace hull::net
