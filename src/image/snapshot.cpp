#include "image/snapshot.hpp"

#include <dirent.h>
#include <fcntl.h>

#include <algorithm>
#include <vector>

#include "hull/error.hpp"
#include "image/fd.hpp"

namespace hull::image {
namespace {

void walk_dir(int dirfd, const std::string& prefix, dev_t dev,
              const std::function<bool(const std::string&, const struct stat&)>& visit) {
  int dup = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  DIR* d = dup < 0 ? nullptr : ::fdopendir(dup);
  if (d == nullptr) {
    if (dup >= 0) ::close(dup);
    throw Error::sys("listing " + (prefix.empty() ? "/" : prefix));
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(std::move(n));
  }
  ::closedir(d);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    std::string rel = prefix.empty() ? n : prefix + "/" + n;
    struct stat st;
    if (::fstatat(dirfd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;
      throw Error::sys("inspecting " + rel);
    }
    if (!visit(rel, st) || !S_ISDIR(st.st_mode) || st.st_dev != dev) continue;
    Fd sub(::openat(dirfd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) throw Error::sys("opening " + rel);
    walk_dir(sub.get(), rel, dev, visit);
  }
}

}  // namespace

void walk_tree(int dirfd,
               const std::function<bool(const std::string&, const struct stat&)>& visit) {
  struct stat st;
  if (::fstat(dirfd, &st) != 0) throw Error::sys("inspecting the tree root");
  walk_dir(dirfd, "", st.st_dev, visit);
}

void save_snapshot(int rootfs_fd, const std::string& file) {
  std::string out;
  walk_tree(rootfs_fd, [&](const std::string& rel, const struct stat& st) {
    out += std::to_string(st.st_ino) + ' ' + std::to_string(st.st_ctim.tv_sec) + ' ' +
           std::to_string(st.st_ctim.tv_nsec) + ' ' + (S_ISDIR(st.st_mode) ? 'd' : 'f') + ' ' +
           rel + '\0';
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
