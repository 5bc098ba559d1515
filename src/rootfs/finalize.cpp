// Steps that run inside the new root: masked paths, read-only paths, the read-only root and
// the requested root propagation.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/kernel.hpp"
#include "rootfs/mount_options.hpp"
#include "rootfs/remount.hpp"
#include "rootfs/resolve.hpp"
#include "rootfs/rootfs.hpp"

namespace hull::rootfs {
namespace {

// /dev/null is what hides masked files; make sure it is the real null device at the moment
// of the bind, not something the container put there.
linux_::Fd open_dev_null(int root_fd) {
  linux_::Fd null = open_in_root(root_fd, "/dev/null");
  struct stat st;
  if (!null || ::fstat(null.get(), &st) < 0) throw Error::sys("opening /dev/null");
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3) {
    throw Error("/dev/null in the container is not the null device (1:3)");
  }
  return null;
}

void mask(int root_fd, const std::string& path, int null_fd) {
  linux_::Fd target = open_in_root(root_fd, path);
  if (!target) {
    if (errno == ENOENT) return;
    throw Error::sys("masking " + path);
  }
  struct stat st;
  if (::fstat(target.get(), &st) < 0) throw Error::sys("masking " + path);
  std::string where = fd_path(target.get());
  linux_::Kernel& k = linux_::kernel();
  int rc = S_ISDIR(st.st_mode)
               ? k.mount("tmpfs", where.c_str(), "tmpfs", MS_RDONLY, "size=0k,mode=755")
               : k.mount(fd_path(null_fd).c_str(), where.c_str(), nullptr, MS_BIND, nullptr);
  if (rc < 0) throw Error::sys("masking " + path);
}

void make_readonly(int root_fd, const std::string& path) {
  linux_::Fd target = open_in_root(root_fd, path);
  if (!target) {
    if (errno == ENOENT) return;
    throw Error::sys("making " + path + " read-only");
  }
  std::string where = fd_path(target.get());
  if (linux_::kernel().mount(where.c_str(), where.c_str(), nullptr, MS_BIND | MS_REC, nullptr) <
      0) {
    throw Error::sys("making " + path + " read-only");
  }
  linux_::Fd again = open_in_root(root_fd, path);
  remount_readonly(fd_path(again.get()));
}

// The flags a bind remount sets on one mount (the rest belong to the superblock).
constexpr unsigned long kPerMountFlags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_NOATIME |
                                         MS_NODIRATIME | MS_RELATIME | MS_STRICTATIME;

}  // namespace

void finalize(const Context& ctx) {
  linux_::Fd root(linux_::kernel().openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
  if (!root) throw Error::sys("opening /");
  // Before the masks, as runc: a file masked with /dev/null then shows /dev's read-only flag.
  for (size_t i = 0; i < ctx.spec->mounts.size(); ++i) {
    const spec::Mount& m = ctx.spec->mounts[i];
    MountOptions o = parse_mount_options(m.options);
    if (!readonly_later(m, o)) continue;
    with_context("config.json: /mounts/" + std::to_string(i) + " (" + m.destination + ")", [&] {
      linux_::Fd target = open_in_root(root.get(), m.destination);
      if (!target) throw Error::sys("making " + m.destination + " read-only");
      remount_keep_locked(fd_path(target.get()), (o.flags & kPerMountFlags) | MS_RDONLY);
    });
  }
  if (const auto& l = ctx.spec->linux_) {
    if (!l->maskedPaths.empty()) {
      linux_::Fd null = open_dev_null(root.get());
      for (size_t i = 0; i < l->maskedPaths.size(); ++i) {
        with_context("config.json: /linux/maskedPaths/" + std::to_string(i),
                     [&] { mask(root.get(), l->maskedPaths[i], null.get()); });
      }
    }
    for (size_t i = 0; i < l->readonlyPaths.size(); ++i) {
      with_context("config.json: /linux/readonlyPaths/" + std::to_string(i),
                   [&] { make_readonly(root.get(), l->readonlyPaths[i]); });
    }
  }
  if (ctx.spec->root && ctx.spec->root->readonly) {
    with_context("config.json: /root/readonly",
                 [] { remount_keep_locked("/", MS_BIND | MS_RDONLY); });
  }
  if (ctx.spec->linux_ && !ctx.spec->linux_->rootfsPropagation.empty()) {
    auto o = parse_mount_options({ctx.spec->linux_->rootfsPropagation});
    if (linux_::kernel().mount(nullptr, "/", nullptr, o.propagation.front(), nullptr) < 0) {
      throw Error::sys("config.json: /linux/rootfsPropagation");
    }
  }
}

}  // namespace hull::rootfs
