#include "image/snapshot.hpp"

#include <cstdio>

#include "hull/error.hpp"
#include "image/fd.hpp"
#include "image/walk.hpp"

namespace hull::image {
void save_snapshot(int rootfs_fd, const std::string& file) {
  std::string out;
  walk(rootfs_fd, [&](const WalkItem& it) {
    const struct stat& st = it.st;
    out += std::to_string(st.st_ino) + ' ' + std::to_string(st.st_ctim.tv_sec) + ' ' +
           std::to_string(st.st_ctim.tv_nsec) + ' ' + (S_ISDIR(st.st_mode) ? 'd' : 'f') + ' ' +
           it.rel + '\0';
    return true;
  });
  write_file_atomic(file, out);
}

Snapshot load_snapshot(const std::string& file) {
  std::string text = read_file(file);
  Snapshot snap;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = text.find('\0', i);
    if (end == std::string::npos) throw Error(file + ": truncated record");
    std::string rec = text.substr(i, end - i);
    i = end + 1;
    BaseEntry e;
    char kind = 0;
    unsigned long long ino = 0;
    long long cs = 0, cn = 0;
    // The name follows the fourth space and may itself hold spaces.
    size_t name_at = 0;
    for (int spaces = 0; spaces < 4 && name_at != std::string::npos; ++spaces)
      name_at = rec.find(' ', name_at == 0 ? 0 : name_at + 1);
    if (name_at == std::string::npos ||
        std::sscanf(rec.c_str(), "%llu %lld %lld %c", &ino, &cs, &cn, &kind) != 4)
      throw Error(file + ": malformed record");
    e.ino = static_cast<ino_t>(ino);
    e.ctime_s = cs;
    e.ctime_ns = cn;
    e.dir = kind == 'd';
    snap.emplace(rec.substr(name_at + 1), e);
  }
  return snap;
}

}  // namespace hull::image
