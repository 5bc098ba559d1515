#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/kernel.hpp"
#include "linux/syscalls.hpp"
#include "rootfs/idmap.hpp"
#include "rootfs/mount_options.hpp"
#include "rootfs/remount.hpp"
#include "rootfs/resolve.hpp"
#include "rootfs/rootfs.hpp"

namespace hull::rootfs {
namespace {

void do_mount(const std::string& source, const std::string& target, const std::string& type,
              unsigned long flags, const std::string& data) {
  if (linux_::kernel().mount(source.empty() ? nullptr : source.c_str(), target.c_str(),
                             type.empty() ? nullptr : type.c_str(), flags,
                             data.empty() ? nullptr : data.c_str()) < 0) {
    if (source.empty() && type.empty()) throw Error::sys("changing the propagation of " + target);
    throw Error::sys("mount " + (source.empty() ? type : source));
  }
}

void remount_bind(const std::string& target, unsigned long flags) {
  remount_keep_locked(target, flags & ~(MS_BIND | MS_REC | MS_REMOUNT));
}

// After a mount lands on the path, the old O_PATH fd still names the covered directory:
// reopen to reach the new mount.
std::string reopened(int root_fd, const std::string& dest, linux_::Fd& holder) {
  holder = open_in_root(root_fd, dest);
  if (!holder) throw Error::sys("reopening " + dest);
  return fd_path(holder.get());
}

void apply_after(int root_fd, const std::string& dest, const MountOptions& o) {
  linux_::Fd fd;
  for (unsigned long p : o.propagation) do_mount("", reopened(root_fd, dest, fd), "", p, "");
  if (o.recursive_attrs) {
    fd = open_in_root(root_fd, dest);
    struct mount_attr attr = {};
    attr.attr_set = o.attr_set;
    attr.attr_clr = o.attr_clr;
    if (linux_::kernel().mount_setattr(fd.get(), "", AT_EMPTY_PATH | AT_RECURSIVE, &attr,
                                       sizeof(attr)) < 0) {
      throw Error::sys("mount_setattr");
    }
  }
}

std::string host_source(const Context& ctx, const std::string& source) {
  if (source.empty() || source.front() == '/') return source;
  return ctx.bundle + "/" + source;
}

bool is_bind(const spec::Mount& m, const MountOptions& o) {
  return m.type == "bind" || o.bind();
}

void bind_mount(const Context& ctx, int root_fd, size_t index, const spec::Mount& m,
                const MountOptions& o) {
  std::string src = host_source(ctx, m.source);
  struct stat st;
  if (ctx.bind_sources && (*ctx.bind_sources)[index]) {
    int fd = (*ctx.bind_sources)[index].get();
    if (::fstat(fd, &st) < 0) throw Error::sys("bind source " + src);
    src = fd_path(fd);
  } else if (::stat(src.c_str(), &st) < 0) {
    throw Error::sys("bind source " + src);
  }
  linux_::Fd dest =
      ensure_in_root(root_fd, m.destination, S_ISDIR(st.st_mode) ? Kind::kDir : Kind::kFile);
  if (!m.uidMappings.empty()) {
    idmapped_bind(src, dest.get(), m, (o.flags & MS_REC) != 0);
  } else {
    do_mount(src, fd_path(dest.get()), "", MS_BIND | (o.flags & MS_REC), "");
  }
  if (o.flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) {
    linux_::Fd fd;
    remount_bind(reopened(root_fd, m.destination, fd), o.flags);
  }
}

// cgroup v1: a tmpfs holding one directory per hierarchy, each a bind of the container's own
// cgroup there. v2: cgroup2 itself inside a cgroup namespace, else a bind of the directory.
void cgroup_mount(const Context& ctx, int root_fd, const spec::Mount& m, const MountOptions& o) {
  unsigned long flags = o.flags & ~(MS_BIND | MS_REC);
  linux_::Fd dest = ensure_in_root(root_fd, m.destination, Kind::kDir);
  if (ctx.cgroups == nullptr) throw Error("no cgroup was made for the container to mount");
  const auto& hs = *ctx.cgroups;
  bool v2 = hs.size() == 1 && hs.front().name.empty();
  if (v2) {
    if (ctx.new_cgroupns) {
      do_mount("cgroup2", fd_path(dest.get()), "cgroup2", flags, "");
    } else {
      do_mount(hs.front().dir, fd_path(dest.get()), "", MS_BIND | MS_REC, "");
      linux_::Fd fd;
      remount_bind(reopened(root_fd, m.destination, fd), flags | MS_BIND);
    }
    return;
  }
  // As runc: the tmpfs itself stays writable and the (hybrid) cgroup2 is not shown.
  do_mount("tmpfs", fd_path(dest.get()), "tmpfs", flags & ~MS_RDONLY, "mode=755");
  // The tmpfs is hull's, fresh and empty (nothing of the rootfs inside, no symlink): its
  // directories are made and reached right in it, one resolution for all of them.
  linux_::Fd tmp;
  reopened(root_fd, m.destination, tmp);
  int tmp_fd = tmp.get();
  linux_::Kernel& k = linux_::kernel();
  auto open_sub = [&](const std::string& base) {
    linux_::Fd d(k.openat(tmp_fd, base.c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC, 0));
    if (!d) throw Error::sys("opening " + m.destination + "/" + base);
    return d;
  };
  for (const auto& h : hs) {
    if (h.name.empty()) continue;
    std::string base = h.mountpoint.substr(h.mountpoint.find_last_of('/') + 1);
    if (k.mkdirat(tmp_fd, base.c_str(), 0755) < 0 && errno != EEXIST) {
      throw Error::sys("making " + m.destination + "/" + base);
    }
    linux_::Fd dir = open_sub(base);
    do_mount(h.dir, fd_path(dir.get()), "", MS_BIND | MS_REC, "");
    // Opened again: the name now leads to the bind mount's root.
    linux_::Fd top = open_sub(base);
    remount_bind(fd_path(top.get()), flags | MS_BIND);
  }
}

// linux.mountLabel labels the filesystems the container gets fresh (SELinux context=). With
// SELinux off the label is ignored, as runc and crun do (security::check_lsm warned).
MountOptions with_mount_label(const Context& ctx, const spec::Mount& m, MountOptions o) {
  const std::string& label = ctx.spec->linux_ ? ctx.spec->linux_->mountLabel : std::string();
  if (label.empty() || (m.type != "tmpfs" && m.type != "devpts" && m.type != "mqueue")) return o;
  if (::access("/sys/fs/selinux/enforce", F_OK) != 0) return o;
  if (!o.data.empty()) o.data += ',';
  o.data += "context=\"" + label + "\"";
  return o;
}

void other_mount(int root_fd, const spec::Mount& m, const MountOptions& o) {
  linux_::Fd dest = ensure_in_root(root_fd, m.destination, Kind::kDir);
  std::string target = fd_path(dest.get());
  if (linux_::kernel().mount(m.source.c_str(), target.c_str(), m.type.c_str(), o.flags,
                             o.data.empty() ? nullptr : o.data.c_str()) == 0) {
    return;
  }
  int err = errno;
  // Without privilege over the namespace that owns them (a user namespace sharing the host's
  // network or IPC namespace), sysfs and mqueue cannot be mounted fresh: bind the host's.
  if (err == EPERM && (m.type == "sysfs" || m.type == "mqueue")) {
    std::string host = m.type == "sysfs" ? "/sys" : "/dev/mqueue";
    do_mount(host, target, "", MS_BIND | MS_REC, "");
    linux_::Fd fd;
    remount_bind(reopened(root_fd, m.destination, fd), o.flags | MS_BIND);
    return;
  }
  throw Error::sys("mount " + m.type, err);
}

uint64_t mount_id(const std::string& path) {
  struct statx stx;
  if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0) {
    throw Error::sys("statx " + path);
  }
  return stx.stx_mnt_id;
}

// The mount point of the mount that holds path: walk up while the parent is on it too.
std::string holding_mount(std::string path) {
  uint64_t id = mount_id(path);
  while (path != "/") {
    auto slash = path.find_last_of('/');
    std::string parent = slash == 0 ? "/" : path.substr(0, slash);
    if (mount_id(parent) != id) break;
    path = parent;
  }
  return path;
}

}  // namespace

bool readonly_later(const spec::Mount& m, const MountOptions& o) {
  if (is_bind(m, o) || !(o.flags & MS_RDONLY)) return false;
  std::string dest = m.destination;
  while (dest.size() > 1 && dest.back() == '/') dest.pop_back();
  return m.type == "tmpfs" || dest == "/dev";
}

void prepare(const Context& ctx) {
  unsigned long prop = MS_SLAVE | MS_REC;
  if (ctx.spec->linux_ && !ctx.spec->linux_->rootfsPropagation.empty()) {
    auto o = parse_mount_options({ctx.spec->linux_->rootfsPropagation});
    if (o.propagation.empty()) {
      throw Error("config.json: /linux/rootfsPropagation: unknown propagation \"" +
                  ctx.spec->linux_->rootfsPropagation + "\"");
    }
    // An unbindable "/" would refuse the rootfs bind below: prepare as slave, and finalize
    // applies the requested propagation to the new root.
    if (!(o.propagation.front() & MS_UNBINDABLE)) prop = o.propagation.front();
  }
  do_mount("", "/", "", prop, "");
  // pivot_root also refuses a rootfs whose parent mount is shared, which "/" just became
  // if rootfsPropagation asks for shared: the holding mount goes private (it is only this
  // namespace's copy, and it is detached after the pivot).
  if (prop & MS_SHARED) do_mount("", holding_mount(ctx.rootfs), "", MS_PRIVATE, "");
  // pivot_root refuses a rootfs whose parent mount is shared: make the rootfs a mount of its
  // own, then private to this namespace.
  do_mount(ctx.rootfs, ctx.rootfs, "", MS_BIND | MS_REC, "");
  do_mount("", ctx.rootfs, "", MS_PRIVATE, "");
}

linux_::Fd open_rootfs(const Context& ctx) {
  linux_::Fd root(
      linux_::kernel().openat(AT_FDCWD, ctx.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
  if (!root) throw Error::sys("opening rootfs " + ctx.rootfs);
  return root;
}

void mount_all(const Context& ctx) {
  linux_::Fd root = open_rootfs(ctx);
  for (size_t i = 0; i < ctx.spec->mounts.size(); ++i) {
    const spec::Mount& m = ctx.spec->mounts[i];
    with_context("config.json: /mounts/" + std::to_string(i) + " (" + m.destination + ")", [&] {
      MountOptions o = parse_mount_options(m.options);
      if (is_bind(m, o)) {
        bind_mount(ctx, root.get(), i, m, o);
      } else if (!m.uidMappings.empty()) {
        throw Error("uidMappings/gidMappings (an idmapped mount) need a bind mount");
      } else if (m.type == "cgroup" || m.type == "cgroup2") {
        cgroup_mount(ctx, root.get(), m, o);
        return;
      } else if (readonly_later(m, o)) {
        MountOptions rw = o;
        rw.flags &= ~static_cast<unsigned long>(MS_RDONLY);
        other_mount(root.get(), m, with_mount_label(ctx, m, rw));
      } else {
        other_mount(root.get(), m, with_mount_label(ctx, m, o));
      }
      apply_after(root.get(), m.destination, o);
    });
  }
}

std::vector<linux_::Fd> open_bind_sources(const Context& ctx) {
  std::vector<linux_::Fd> fds(ctx.spec->mounts.size());
  for (size_t i = 0; i < fds.size(); ++i) {
    const spec::Mount& m = ctx.spec->mounts[i];
    if (!is_bind(m, parse_mount_options(m.options))) continue;
    std::string src = host_source(ctx, m.source);
    fds[i].reset(linux_::kernel().openat(AT_FDCWD, src.c_str(), O_PATH | O_CLOEXEC, 0));
    if (!fds[i]) {
      throw Error::sys("config.json: /mounts/" + std::to_string(i) + " (" + m.destination +
                       "): bind source " + src);
    }
  }
  return fds;
}

void create_cwd(const Context& ctx, const std::string& cwd) {
  if (cwd.empty() || cwd == "/") return;
  linux_::Fd root = open_rootfs(ctx);
  with_context("config.json: /process/cwd", [&] { ensure_in_root(root.get(), cwd, Kind::kDir); });
}

void enter_root(const Context& ctx) {
  linux_::Kernel& k = linux_::kernel();
  if (ctx.no_pivot) {
    if (k.chdir(ctx.rootfs.c_str()) < 0) throw Error::sys("chdir to rootfs");
    do_mount(ctx.rootfs, "/", "", MS_MOVE, "");
    if (k.chroot(".") < 0) throw Error::sys("chroot");
    if (k.chdir("/") < 0) throw Error::sys("chdir /");
    return;
  }
  linux_::Fd old_root(k.openat(AT_FDCWD, "/", O_DIRECTORY | O_RDONLY | O_CLOEXEC, 0));
  if (!old_root) throw Error::sys("opening roots for pivot_root");
  linux_::Fd new_root(
      k.openat(AT_FDCWD, ctx.rootfs.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC, 0));
  if (!new_root) throw Error::sys("opening roots for pivot_root");
  if (k.fchdir(new_root.get()) < 0) throw Error::sys("chdir to rootfs");
  // pivot_root(".", ".") stacks the old root under the new one; detaching it from there
  // needs no directory inside the container.
  linux_::pivot_root(".", ".");
  if (k.fchdir(old_root.get()) < 0) throw Error::sys("chdir to old root");
  do_mount("", ".", "", MS_SLAVE | MS_REC, "");
  if (k.umount2(".", MNT_DETACH) < 0) throw Error::sys("detaching old root");
  if (k.chdir("/") < 0) throw Error::sys("chdir /");
}

}  // namespace hull::rootfs
