// The file handling oci-bridge needs on top of linux/ (fd, files, bounded_read): an exclusive
// lock, the network files' size limit, and a rewrite that keeps the inode.
#pragma once

#include <cstddef>
#include <string>

#include "json/limits.hpp"
#include "linux/fd.hpp"

namespace hull::net {

using Fd = linux_::Fd;

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
// Rewrites the file's content keeping its inode: a bind mount of it shows the new content.
void write_file_in_place(const std::string& path, const std::string& content);

}  // namespace hull::net
