// Owned file descriptors and directories for oci-image. Every fd the image code opens has one
// owner, so an error half way through an extraction never leaks descriptors.
#pragma once

#include <unistd.h>

#include <string>
#include <utility>

#include "linux/fd.hpp"
#include "linux/files.hpp"

namespace hull::image {

using Fd = linux_::Fd;
using linux_::read_file;
using linux_::write_file_atomic;

inline void write_all(int fd, const char* data, size_t len, const std::string& what) {
  linux_::write_all(fd, std::string_view(data, len), what);
}

// Opens path (O_CLOEXEC added), throwing an Error that names the path.
Fd open_or_throw(const std::string& path, int flags, mode_t mode = 0);

// A directory removed with its contents when the owner goes away, unless released.
class TempDir {
 public:
  // Makes a fresh directory named PARENT/PREFIXXXXXXX.
  TempDir(const std::string& parent, const std::string& prefix);
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&& o) noexcept : path_(std::exchange(o.path_, {})) {}
  ~TempDir();
  const std::string& path() const { return path_; }
  // Keeps the directory: the caller now owns it (e.g. it was renamed into place).
  std::string release() { return std::exchange(path_, {}); }

 private:
  std::string path_;
};

// Removes path and everything below it (linux_::remove_tree: never follows a symlink, refuses
// another mount); a missing path is fine.
void remove_all(const std::string& path);
// Removes name in dirfd (a file, or a directory with its contents); a missing name is fine.
void remove_all_at(int dirfd, const std::string& name);
// Makes path and its missing parents (linux_::mkdir_p, mode 0755 or the one given).
inline void make_dirs(const std::string& path, mode_t mode = 0755) {
  linux_::mkdir_p(path, mode);
}

}  // namespace hull::image
