#include "linux/remove_tree.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include "hull/error.hpp"
#include "linux/dir_names.hpp"
#include "linux/fd.hpp"

namespace hull::linux_ {
namespace {

// Names below the top come from whoever filled the tree: control bytes are escaped and the
// text capped so that an error stays one readable line.
std::string escaped(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (out.size() > 512) return out + "...";
    if (c < 0x20 || c == 0x7f || c == '\\') {
      char buf[5];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// The mount an fd is on: statx's mount id where the kernel has it (5.8+), else 0 (st_dev
// alone then tells mounts of different filesystems apart).
uint64_t mount_id(int fd) {
  struct statx stx {};
  if (::statx(fd, "", AT_EMPTY_PATH | AT_STATX_DONT_SYNC, STATX_MNT_ID, &stx) != 0) return 0;
  return (stx.stx_mask & STATX_MNT_ID) ? stx.stx_mnt_id : 0;
}

int open_dir_nofollow(int dirfd, const char* name) {
  int fd;
  do {
    fd = ::openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

int unlink_eintr(int dirfd, const char* name, int flags) {
  int rc;
  do {
    rc = ::unlinkat(dirfd, name, flags);
  } while (rc < 0 && errno == EINTR);
  return rc;
}

struct Level {
  std::string name;  // of this directory in its parent
  std::string rel;   // below the top, for errors
  dev_t dev;
  ino_t ino;
  std::vector<std::string> subdirs;  // still to remove, listed once
};

class Remover {
 public:
  explicit Remover(std::string what) : what_(std::move(what)) {}

  std::string where(const std::string& rel) const {
    return rel.empty() ? what_ : what_ + "/" + escaped(rel);
  }

  // Unlinks every non-directory in dir and returns the names of its directories.
  std::vector<std::string> empty_files(int dir, const std::string& rel) {
    std::vector<std::string> names;
    for (DirNames d(dir, where(rel)); d.next();) names.emplace_back(d.name());
    std::vector<std::string> dirs;
    for (auto& n : names) {
      if (unlink_eintr(dir, n.c_str(), 0) == 0 || errno == ENOENT) continue;
      if (errno != EISDIR) throw Error::sys("removing " + where(child(rel, n)));
      dirs.push_back(std::move(n));
    }
    return dirs;
  }

  static std::string child(const std::string& rel, const std::string& name) {
    return rel.empty() ? name : rel + "/" + name;
  }

  // Opens name below cur as a directory of the top's mount, or throws.
  Fd enter(int cur, const std::string& name, const std::string& rel, struct stat& st) {
    Fd fd(open_dir_nofollow(cur, name.c_str()));
    if (!fd) throw Error::sys("opening " + where(rel));
    if (::fstat(fd.get(), &st) != 0) throw Error::sys("inspecting " + where(rel));
    if (st.st_dev != dev_ || (mnt_ != 0 && mount_id(fd.get()) != mnt_)) {
      throw Error("refusing to remove " + where(rel) + ": a mount point");
    }
    return fd;
  }

  void run(int dirfd, const std::string& name) {
    struct stat st;
    Fd top(open_dir_nofollow(dirfd, name.c_str()));
    if (!top) throw Error::sys("opening " + what_);
    if (::fstat(top.get(), &st) != 0) throw Error::sys("inspecting " + what_);
    dev_ = st.st_dev;
    mnt_ = mount_id(top.get());
    // A mount at the top itself (the parent is on another) is refused as well: removing what
    // is on it would empty a filesystem someone mounted there.
    {
      struct stat pst;
      if (::fstatat(dirfd, "", &pst, AT_EMPTY_PATH) == 0 &&
          (pst.st_dev != dev_ || (mnt_ != 0 && mount_id(dirfd) != mnt_))) {
        throw Error("refusing to remove " + what_ + ": a mount point");
      }
    }
    std::vector<Level> stack;
    stack.push_back(Level{name, "", st.st_dev, st.st_ino, empty_files(top.get(), "")});
    Fd cur = std::move(top);
    while (!stack.empty()) {
      Level& l = stack.back();
      if (!l.subdirs.empty()) {
        std::string sub = std::move(l.subdirs.back());
        l.subdirs.pop_back();
        std::string rel = child(l.rel, sub);
        struct stat sst;
        Fd next = enter(cur.get(), sub, rel, sst);
        std::vector<std::string> dirs = empty_files(next.get(), rel);
        stack.push_back(Level{sub, rel, sst.st_dev, sst.st_ino, std::move(dirs)});
        cur = std::move(next);
        continue;
      }
      Level done = std::move(l);
      stack.pop_back();
      if (stack.empty()) break;
      Fd up(open_dir_nofollow(cur.get(), ".."));
      struct stat ust;
      if (!up || ::fstat(up.get(), &ust) != 0)
        throw Error::sys("climbing out of " + where(done.rel));
      if (ust.st_dev != stack.back().dev || ust.st_ino != stack.back().ino) {
        throw Error(where(stack.back().rel) + ": moved while it was being removed");
      }
      cur = std::move(up);
      if (unlink_eintr(cur.get(), done.name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
        throw Error::sys("removing " + where(done.rel));
      }
    }
    cur.reset();
    if (unlink_eintr(dirfd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT) {
      throw Error::sys("removing " + what_);
    }
  }

 private:
  std::string what_;
  dev_t dev_ = 0;
  uint64_t mnt_ = 0;
};

}  // namespace

bool remove_tree_at(int dirfd, const std::string& name, const std::string& what) {
  if (name.empty() || name == "." || name == "..") {
    throw Error("removing " + what + ": not a name to remove");
  }
  if (unlink_eintr(dirfd, name.c_str(), 0) == 0) return true;
  if (errno == ENOENT) return false;
  if (errno != EISDIR) throw Error::sys("removing " + what);
  Remover(what).run(dirfd, name);
  return true;
}

bool remove_tree(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  auto slash = p.find_last_of('/');
  if (slash == std::string::npos) return remove_tree_at(AT_FDCWD, p, path);
  std::string parent = slash == 0 ? "/" : p.substr(0, slash);
  Fd dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir) {
    if (errno == ENOENT) return false;
    throw Error::sys("opening " + parent + " to remove " + path);
  }
  return remove_tree_at(dir.get(), p.substr(slash + 1), path);
}

}  // namespace hull::linux_
