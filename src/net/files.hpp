// The file handling oci-bridge needs: an owned fd, an exclusive lock, whole-file read/write.
#pragma once

#include <cstddef>
#include <string>

#include "json/limits.hpp"

namespace hull::net {

class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd();
  int get() const { return fd_; }
  int release();
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// Holds flock(LOCK_EX) on PATH (created if missing) for its lifetime: the IPAM's mutual
// exclusion between concurrent hooks, including hooks in other processes.
class FileLock {
 public:
  explicit FileLock(const std::string& path);

 private:
  Fd fd_;
};

// A whole regular file of at most limit bytes (linux/bounded_read.hpp); errors name the path.
std::string read_file(const std::string& path, size_t limit = json::kNetworkBytes);
// Writes through a temporary file and rename, so readers see the old or the new content.
void write_file_atomic(const std::string& path, const std::string& content);
// Rewrites the file's content keeping its inode: a bind mount of it shows the new content.
void write_file_in_place(const std::string& path, const std::string& content);
void make_dirs(const std::string& path);

}  // namespace hull::net
