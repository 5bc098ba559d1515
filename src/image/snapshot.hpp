// A record of a freshly unpacked rootfs (inode and ctime of every path), so that commit can
// tell what changed without keeping a second copy of the image. ctime cannot be set by users:
// any write, chmod, chown, rename or new link moves it.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <unordered_map>

namespace hull::image {

struct BaseEntry {
  ino_t ino = 0;
  int64_t ctime_s = 0;
  int64_t ctime_ns = 0;
  bool dir = false;
};
using Snapshot = std::unordered_map<std::string, BaseEntry>;

void save_snapshot(int rootfs_fd, const std::string& file);
Snapshot load_snapshot(const std::string& file);

}  // namespace hull::image
