#include "image/apply.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <unordered_set>
#include <vector>

#include "hull/error.hpp"
#include "image/confine.hpp"
#include "image/fd.hpp"
#include "image/text.hpp"
#include "image/walk.hpp"

namespace hull::image {
namespace {

// libarchive's message, which may quote a member name and may be missing.
std::string archive_error(archive* a) {
  return shown(archive_error_string(a));
}

const std::string kWhiteoutPrefix = ".wh.";
const std::string kMetaPrefix = ".wh..wh.";
const std::string kOpaque = ".wh..wh..opq";
const std::string kOverlayXattrPrefix = "trusted.overlay.";

using Xattrs = std::vector<std::pair<std::string, std::string>>;

// Metadata of a directory, set once the layer is done: writing its children would otherwise
// change its mtime, and a read-only mode would stop a rootless caller from filling it.
struct DirMeta {
  std::string name;
  ino_t ino;
  archive_entry* entry;  // a clone, freed by the Applier
};

class Applier {
 public:
  Applier(int root_fd, const ApplyOptions& opts) : root_fd_(root_fd), opts_(opts) {}
  ~Applier() {
    for (auto& d : dirs_) archive_entry_free(d.entry);
  }

  void entry(archive* a, archive_entry* e) {
    std::string name = clean_name(archive_entry_pathname(e));
    const char* link = archive_entry_hardlink(e);
    mode_t type = archive_entry_filetype(e);
    if (name.empty()) {
      if (link != nullptr || type != AE_IFDIR)
        throw Error("would replace the rootfs directory itself: refused");
      defer_dir("", root_fd_, ".", e);
      return;
    }
    auto [parent, base] = split_name(name);
    if (opts_.whiteouts != Whiteouts::kNone && base.starts_with(kWhiteoutPrefix)) {
      whiteout(parent, base);
      return;
    }
    int pfd = parent_fd(parent);
    if (opts_.whiteouts == Whiteouts::kApply) created_.insert(name);
    if (link != nullptr) {
      hardlink(pfd, base, link);
    } else if (type == AE_IFREG) {
      regular(a, e, pfd, base);
    } else if (type == AE_IFDIR) {
      directory(e, pfd, name, base);
    } else if (type == AE_IFLNK) {
      symlink(e, pfd, base);
    } else if (type == AE_IFCHR || type == AE_IFBLK || type == AE_IFIFO) {
      special(e, pfd, name, base, type);
    } else {
      skip("a socket or unknown file type is not extracted");
    }
  }

  void finish() {
    for (auto it = dirs_.rbegin(); it != dirs_.rend(); ++it) {
      Fd fd = it->name.empty() ? Fd(::fcntl(root_fd_, F_DUPFD_CLOEXEC, 0))
                               : open_dir_in_root(root_fd_, it->name);
      struct stat st;
      // Replaced by something else later in the layer: its own entry set its metadata.
      if (!fd || ::fstat(fd.get(), &st) != 0 || st.st_ino != it->ino) continue;
      with_context("member " + (it->name.empty() ? std::string("/") : it->name), [&] {
        set_owner_fd(fd.get(), it->entry);
        if (::fchmod(fd.get(), archive_entry_perm(it->entry)) != 0) throw Error::sys("chmod");
        set_xattrs(it->entry, fd.get(), "");
        set_times(it->entry, fd.get(), nullptr);
      });
    }
  }

  ApplyStats stats;

 private:
  int parent_fd(const std::string& parent) {
    if (!cache_ || cache_name_ != parent) {
      cache_ = make_dir_in_root(root_fd_, parent);
      cache_name_ = parent;
    }
    return cache_.get();
  }

  // pfd is always the cached directory, so removing one of its children leaves the cache valid.
  void remove(int pfd, const std::string& base) { remove_all_at(pfd, base); }

  void skip(const std::string& why) {
    ++stats.skipped;
    note(why);
  }

  void note(const std::string& text) {
    if (opts_.note)
      opts_.note(text);
    else
      std::fprintf(stderr, "oci-image: %s\n", text.c_str());
  }

  void whiteout(const std::string& parent, const std::string& base) {
    if (base == kOpaque) {
      Fd dir = make_dir_in_root(root_fd_, parent);
      if (opts_.whiteouts == Whiteouts::kOverlay) {
        if (::fsetxattr(dir.get(), "trusted.overlay.opaque", "y", 1, 0) != 0)
          throw Error::sys("marking " + shown(parent) + " opaque");
      } else {
        cache_.reset();
        clear_lower(dir.get(), parent);
      }
      return;
    }
    if (base.starts_with(kMetaPrefix)) {
      skip("whiteout metadata " + shown(base) + " ignored");
      return;
    }
    std::string target = base.substr(kWhiteoutPrefix.size());
    if (target.empty() || target == "." || target == "..")
      throw Error("whiteout names no file: refused");
    int pfd = parent_fd(parent);
    remove(pfd, target);
    if (opts_.whiteouts == Whiteouts::kOverlay &&
        ::mknodat(pfd, target.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0)
      throw Error::sys("making the overlay whiteout for " + shown(target));
  }

  // An opaque directory keeps only what this layer put in it.
  void clear_lower(int dirfd, const std::string& dir) {
    walk(dirfd, [&](const WalkItem& it) {
      if (created_.contains(dir.empty() ? it.rel : dir + "/" + it.rel)) return true;
      remove_all_at(it.dirfd, it.name);
      return false;
    });
  }

  void hardlink(int pfd, const std::string& base, const char* link) {
    std::string target = clean_name(link);
    if (target.empty()) throw Error("hardlink to the rootfs directory: refused");
    auto [tparent, tbase] = split_name(target);
    Fd tdir = open_dir_in_root(root_fd_, tparent);
    // Final components are never followed: a hardlink to a symlink links the symlink itself.
    for (int attempt = 0;; ++attempt) {
      int tfd = tdir ? tdir.get() : -1;
      if (tfd >= 0 && ::linkat(tfd, tbase.c_str(), pfd, base.c_str(), 0) == 0) break;
      if (tfd >= 0 && errno == EEXIST && attempt == 0) {
        remove(pfd, base);
        continue;
      }
      if (tfd < 0 || errno == ENOENT)
        throw Error("hardlink target " + shown(target) + " does not exist: refused");
      if (errno == EPERM)
        throw Error("hardlink target " + shown(target) + " is a directory: refused");
      throw Error::sys("linking to " + shown(target));
    }
  }

  void regular(archive* a, archive_entry* e, int pfd, const std::string& base) {
    int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    Fd fd(::openat(pfd, base.c_str(), flags, 0600));
    if (!fd && errno == EEXIST) {
      remove(pfd, base);
      fd = Fd(::openat(pfd, base.c_str(), flags, 0600));
    }
    if (!fd) throw Error::sys("creating file");
    const void* buf;
    size_t size;
    la_int64_t offset;
    int64_t end = 0;
    int r;
    while ((r = archive_read_data_block(a, &buf, &size, &offset)) == ARCHIVE_OK) {
      const char* p = static_cast<const char*>(buf);
      while (size > 0) {
        ssize_t n = ::pwrite(fd.get(), p, size, offset);
        if (n < 0) {
          if (errno == EINTR) continue;
          throw Error::sys("writing file");
        }
        p += n;
        offset += n;
        size -= static_cast<size_t>(n);
        stats.bytes += static_cast<uint64_t>(n);
      }
      end = offset;
    }
    if (r != ARCHIVE_EOF) throw Error("reading data: " + archive_error(a));
    // A sparse file ends in a hole: the size comes from the header, not the data.
    if (archive_entry_size_is_set(e) && archive_entry_size(e) > end &&
        ::ftruncate(fd.get(), archive_entry_size(e)) != 0)
      throw Error::sys("setting the file size");
    set_owner_fd(fd.get(), e);
    if (::fchmod(fd.get(), archive_entry_perm(e)) != 0) throw Error::sys("chmod");
    set_xattrs(e, fd.get(), "");
    set_times(e, fd.get(), nullptr);
  }

  void directory(archive_entry* e, int pfd, const std::string& name, const std::string& base) {
    if (::mkdirat(pfd, base.c_str(), 0755) != 0) {
      if (errno != EEXIST) throw Error::sys("making directory");
      struct stat st;
      if (::fstatat(pfd, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        throw Error::sys("inspecting existing entry");
      if (!S_ISDIR(st.st_mode)) {
        remove(pfd, base);
        if (::mkdirat(pfd, base.c_str(), 0755) != 0) throw Error::sys("making directory");
      }
    }
    defer_dir(name, pfd, base, e);
  }

  void defer_dir(const std::string& name, int pfd, const std::string& base, archive_entry* e) {
    struct stat st;
    if (::fstatat(pfd, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
      throw Error::sys("inspecting directory");
    dirs_.push_back(DirMeta{name, st.st_ino, archive_entry_clone(e)});
  }

  void symlink(archive_entry* e, int pfd, const std::string& base) {
    const char* target = archive_entry_symlink(e);
    if (target == nullptr) throw Error("symlink without a target");
    if (::symlinkat(target, pfd, base.c_str()) != 0) {
      if (errno != EEXIST) throw Error::sys("making symlink");
      remove(pfd, base);
      if (::symlinkat(target, pfd, base.c_str()) != 0) throw Error::sys("making symlink");
    }
    set_owner_at(pfd, base, e);
    set_xattrs(e, -1, fd_path(pfd, base));
    set_times(e, pfd, base.c_str());
  }

  void special(archive_entry* e, int pfd, const std::string& name, const std::string& base,
               mode_t type) {
    if (type != AE_IFIFO && opts_.rootless) {
      skip("rootless: device node " + shown(name) + " skipped");
      return;
    }
    mode_t mode = type | archive_entry_perm(e);
    dev_t dev = type == AE_IFIFO ? 0 : archive_entry_rdev(e);
    if (::mknodat(pfd, base.c_str(), mode, dev) != 0) {
      if (errno != EEXIST) throw Error::sys("making device node or fifo");
      remove(pfd, base);
      if (::mknodat(pfd, base.c_str(), mode, dev) != 0)
        throw Error::sys("making device node or fifo");
    }
    set_owner_at(pfd, base, e);
    if (::fchmodat(pfd, base.c_str(), archive_entry_perm(e), 0) != 0) throw Error::sys("chmod");
    set_xattrs(e, -1, fd_path(pfd, base));
    set_times(e, pfd, base.c_str());
  }

  // The host ids for the entry's owner, or nothing when the caller keeps ownership.
  std::optional<std::pair<uid_t, gid_t>> owner(archive_entry* e) {
    if (!opts_.set_owner) return std::nullopt;
    auto uid = map_id(opts_.uid_map, static_cast<uint32_t>(archive_entry_uid(e)));
    auto gid = map_id(opts_.gid_map, static_cast<uint32_t>(archive_entry_gid(e)));
    if (!uid || !gid) {
      if (!unmapped_noted_)
        note("owner " + std::to_string(archive_entry_uid(e)) + ":" +
             std::to_string(archive_entry_gid(e)) +
             " is outside the id mapping: such files keep the caller as owner");
      unmapped_noted_ = true;
      return std::nullopt;
    }
    return std::make_pair(static_cast<uid_t>(*uid), static_cast<gid_t>(*gid));
  }

  void owner_failed() {
    if (!opts_.rootless || (errno != EPERM && errno != EINVAL)) throw Error::sys("chown");
  }

  void set_owner_fd(int fd, archive_entry* e) {
    auto ids = owner(e);
    if (ids && ::fchown(fd, ids->first, ids->second) != 0) owner_failed();
  }

  void set_owner_at(int pfd, const std::string& base, archive_entry* e) {
    auto ids = owner(e);
    if (ids && ::fchownat(pfd, base.c_str(), ids->first, ids->second, AT_SYMLINK_NOFOLLOW) != 0)
      owner_failed();
  }

  // On fd when fd >= 0, else on path without following its final component.
  void set_xattrs(archive_entry* e, int fd, const std::string& path) {
    if (archive_entry_xattr_reset(e) == 0) return;
    const char* name;
    const void* value;
    size_t size;
    while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
      std::string n = name;
      // Overlay's own attributes would let a layer redirect lookups in the mounted rootfs.
      if (n.starts_with(kOverlayXattrPrefix)) {
        skip("xattr " + shown(n) + " ignored: reserved for overlayfs");
        continue;
      }
      int r = fd >= 0 ? ::fsetxattr(fd, name, value, size, 0)
                      : ::lsetxattr(path.c_str(), name, value, size, 0);
      if (r == 0) continue;
      if (errno == ENOTSUP || (errno == EPERM && (fd < 0 || opts_.rootless))) {
        skip("xattr " + shown(n) + " not set: " + std::strerror(errno));
        continue;
      }
      throw Error::sys("setting xattr " + shown(n));
    }
  }

  void set_times(archive_entry* e, int fd_or_dir, const char* base) {
    timespec ts[2];
    ts[1].tv_sec = archive_entry_mtime(e);
    ts[1].tv_nsec = archive_entry_mtime_nsec(e);
    if (archive_entry_atime_is_set(e)) {
      ts[0].tv_sec = archive_entry_atime(e);
      ts[0].tv_nsec = archive_entry_atime_nsec(e);
    } else {
      ts[0] = ts[1];
    }
    int r = base == nullptr ? ::futimens(fd_or_dir, ts)
                            : ::utimensat(fd_or_dir, base, ts, AT_SYMLINK_NOFOLLOW);
    if (r != 0) throw Error::sys("setting times");
  }

  int root_fd_;
  const ApplyOptions& opts_;
  Fd cache_;
  std::string cache_name_;
  std::vector<DirMeta> dirs_;
  std::unordered_set<std::string> created_;
  bool unmapped_noted_ = false;
};

}  // namespace

ApplyStats apply_layer(archive* a, int root_fd, const ApplyOptions& opts, const std::string& what) {
  Applier applier(root_fd, opts);
  archive_entry* e;
  for (;;) {
    int r = archive_read_next_header(a, &e);
    if (r == ARCHIVE_EOF) break;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
      throw Error(what + ": reading the tar stream: " + archive_error(a));
    ++applier.stats.entries;
    const char* name = archive_entry_pathname(e);
    if (name == nullptr) throw Error(what + ": a member without a usable name: refused");
    with_context(what + ": member " + shown(name), [&] { applier.entry(a, e); });
  }
  with_context(what, [&] { applier.finish(); });
  return applier.stats;
}

}  // namespace hull::image
