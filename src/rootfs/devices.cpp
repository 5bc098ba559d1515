// /dev inside the container: the default devices runtime-spec requires, linux.devices, and
// the standard symlinks. In a user namespace mknod is not allowed, so devices are bind
// mounts of the host's nodes instead.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/kernel.hpp"
#include "rootfs/resolve.hpp"
#include "rootfs/rootfs.hpp"

namespace hull::rootfs {
namespace {

struct DefaultDevice {
  const char* path;
  unsigned major, minor;
};

constexpr DefaultDevice kDefaultDevices[] = {
    {"/dev/null", 1, 3},   {"/dev/zero", 1, 5},    {"/dev/full", 1, 7},
    {"/dev/random", 1, 8}, {"/dev/urandom", 1, 9}, {"/dev/tty", 5, 0},
};

mode_t type_bits(const std::string& type) {
  if (type == "c" || type == "u") return S_IFCHR;
  if (type == "b") return S_IFBLK;
  if (type == "p") return S_IFIFO;
  throw Error("unknown device type \"" + type + "\"");
}

void split_parent(const std::string& path, std::string& parent, std::string& name) {
  auto slash = path.find_last_of('/');
  parent = slash == 0 ? "/" : path.substr(0, slash);
  name = path.substr(slash + 1);
}

// Removes what a device node or symlink replaces; absent is fine.
void remove_old(int dir_fd, const std::string& name, const std::string& path) {
  if (linux_::kernel().unlinkat(dir_fd, name.c_str(), 0) < 0 && errno != ENOENT) {
    throw Error::sys("removing " + path);
  }
}

// Makes name by make() (a *at call: 0 or -1 with errno); what stands there already (from the
// image, or a default the config repeats) is removed and the call made once more. A fresh
// /dev costs one call per entry. False with errno when it could not be made.
template <class Make>
bool make_replacing(int dir_fd, const std::string& name, const std::string& path, Make make) {
  if (make() == 0) return true;
  if (errno != EEXIST) return false;
  remove_old(dir_fd, name, path);
  return make() == 0;
}

// The directories devices and symlinks are made in, each resolved once: nearly all of them
// live in /dev itself, so one fd serves every mknodat, unlinkat and symlinkat there.
class ParentDirs {
 public:
  explicit ParentDirs(int root_fd) : root_fd_(root_fd) {}
  int root() const { return root_fd_; }
  // The directory of path (made when missing); name gets its last component.
  int of(const std::string& path, std::string& name) {
    std::string parent;
    split_parent(path, parent, name);
    if (!dir_ || parent != parent_) {
      dir_ = ensure_in_root(root_fd_, parent, Kind::kDir);
      parent_ = std::move(parent);
    }
    return dir_.get();
  }

 private:
  int root_fd_;
  std::string parent_;
  linux_::Fd dir_;
};

void make_device(ParentDirs& dirs, const spec::LinuxDevice& d, bool userns) {
  linux_::Kernel& k = linux_::kernel();
  std::string name;
  int dir = dirs.of(d.path, name);
  if (userns) {
    linux_::Fd target = ensure_in_root(dirs.root(), d.path, Kind::kFile);
    if (k.mount(d.path.c_str(), fd_path(target.get()).c_str(), nullptr, MS_BIND, nullptr) < 0) {
      throw Error::sys("bind mounting device " + d.path);
    }
    return;
  }
  mode_t mode = type_bits(d.type) | (d.fileMode ? (*d.fileMode & 07777) : 0666);
  dev_t dev = makedev(static_cast<unsigned>(d.major), static_cast<unsigned>(d.minor));
  if (!make_replacing(dir, name, d.path, [&] { return k.mknodat(dir, name.c_str(), mode, dev); })) {
    throw Error::sys("mknod " + d.path);
  }
  if (k.fchownat(dir, name.c_str(), d.uid.value_or(0), d.gid.value_or(0), AT_SYMLINK_NOFOLLOW) <
      0) {
    throw Error::sys("chown " + d.path);
  }
}

void make_symlink(ParentDirs& dirs, const char* target, const std::string& link) {
  std::string name;
  int dir = dirs.of(link, name);
  if (!make_replacing(dir, name, link,
                      [&] { return linux_::kernel().symlinkat(target, dir, name.c_str()); })) {
    throw Error::sys("symlink " + link);
  }
}

bool dev_is_bind_mounted(const spec::Spec& s) {
  for (const auto& m : s.mounts) {
    if (m.destination != "/dev") continue;
    for (const auto& o : m.options) {
      if (o == "bind" || o == "rbind") return true;
    }
    if (m.type == "bind") return true;
  }
  return false;
}

}  // namespace

void create_devices(const Context& ctx) {
  if (dev_is_bind_mounted(*ctx.spec)) return;
  linux_::Fd root = open_rootfs(ctx);
  ParentDirs dirs(root.get());
  mode_t old_umask = ::umask(0);
  try {
    with_context("creating the default devices in /dev", [&] {
      for (const auto& d : kDefaultDevices) {
        spec::LinuxDevice dev;
        dev.path = d.path;
        dev.type = "c";
        dev.major = d.major;
        dev.minor = d.minor;
        make_device(dirs, dev, ctx.new_userns);
      }
    });
    if (ctx.spec->linux_) {
      for (size_t i = 0; i < ctx.spec->linux_->devices.size(); ++i) {
        const auto& d = ctx.spec->linux_->devices[i];
        with_context("config.json: /linux/devices/" + std::to_string(i),
                     [&] { make_device(dirs, d, ctx.new_userns); });
      }
    }
    with_context("creating the /dev symlinks", [&] {
      make_symlink(dirs, "/proc/self/fd", "/dev/fd");
      make_symlink(dirs, "/proc/self/fd/0", "/dev/stdin");
      make_symlink(dirs, "/proc/self/fd/1", "/dev/stdout");
      make_symlink(dirs, "/proc/self/fd/2", "/dev/stderr");
      make_symlink(dirs, "pts/ptmx", "/dev/ptmx");
    });
    // The console is bound over this file after finalize, when /dev may be read-only.
    if (ctx.spec->process && ctx.spec->process->terminal) {
      ensure_in_root(root.get(), "/dev/console", Kind::kFile);
    }
    if (::access("/proc/kcore", F_OK) == 0) make_symlink(dirs, "/proc/kcore", "/dev/core");
  } catch (...) {
    ::umask(old_umask);
    throw;
  }
  ::umask(old_umask);
}

void mount_console(const std::string& slave_path) {
  linux_::Fd root(linux_::kernel().openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
  if (!root) throw Error::sys("opening / for the console");
  linux_::Fd target = ensure_in_root(root.get(), "/dev/console", Kind::kFile);
  // Only a plain file or a device may be covered: never a directory the container made.
  struct stat st;
  if (::fstat(target.get(), &st) < 0) throw Error::sys("checking /dev/console");
  if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
    throw Error("/dev/console in the container is neither a file nor a character device");
  }
  if (linux_::kernel().mount(slave_path.c_str(), fd_path(target.get()).c_str(), nullptr, MS_BIND,
                             nullptr) < 0) {
    throw Error::sys("bind mounting the console");
  }
}

}  // namespace hull::rootfs
