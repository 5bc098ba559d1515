#include "linux/dir_names.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "hull/error.hpp"

namespace hull::linux_ {

DIR* DirNames::open_fd(int dirfd) {
  int dup = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return nullptr;
  DIR* d = ::fdopendir(dup);
  if (d == nullptr) {
    int err = errno;
    ::close(dup);
    errno = err;
    return nullptr;
  }
  // The duplicate shares dirfd's offset, which an earlier walk left at the end.
  ::rewinddir(d);
  return d;
}

// opendir opens with O_CLOEXEC (glibc), as open_fd's duplicate is.
DirNames::DirNames(const std::string& path, std::string what)
    : dir_(::opendir(path.c_str())), what_(what.empty() ? path : std::move(what)) {
  if (dir_ == nullptr) throw Error::sys("listing " + what_);
}

DirNames::DirNames(int dirfd, std::string what) : dir_(open_fd(dirfd)), what_(std::move(what)) {
  if (dir_ == nullptr) throw Error::sys("listing " + what_);
}

std::optional<DirNames> DirNames::try_open(const std::string& path) {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return std::nullopt;
  return DirNames(d, path);
}

std::optional<DirNames> DirNames::try_open(int dirfd, std::string what) {
  DIR* d = open_fd(dirfd);
  if (d == nullptr) return std::nullopt;
  return DirNames(d, std::move(what));
}

DirNames::DirNames(DirNames&& other) noexcept
    : dir_(std::exchange(other.dir_, nullptr)),
      what_(std::move(other.what_)),
      entry_(std::exchange(other.entry_, nullptr)) {}

DirNames::~DirNames() {
  if (dir_ != nullptr) ::closedir(dir_);
}

bool DirNames::next() {
  for (;;) {
    errno = 0;
    entry_ = ::readdir(dir_);
    if (entry_ == nullptr) {
      if (errno == EINTR) continue;
      if (errno != 0) throw Error::sys("listing " + what_);
      return false;
    }
    if (std::strcmp(entry_->d_name, ".") != 0 && std::strcmp(entry_->d_name, "..") != 0) {
      return true;
    }
  }
}

}  // namespace hull::linux_
