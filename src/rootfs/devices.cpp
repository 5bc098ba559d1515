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

void make_device(int root_fd, const spec::LinuxDevice& d, bool userns) {
  linux_::Kernel& k = linux_::kernel();
  std::string parent, name;
  split_parent(d.path, parent, name);
  linux_::Fd dir = ensure_in_root(root_fd, parent, Kind::kDir);
  if (userns) {
    linux_::Fd target = ensure_in_root(root_fd, d.path, Kind::kFile);
    if (k.mount(d.path.c_str(), fd_path(target.get()).c_str(), nullptr, MS_BIND, nullptr) < 0) {
      throw Error::sys("bind mounting device " + d.path);
    }
    return;
  }
  mode_t mode = type_bits(d.type) | (d.fileMode ? (*d.fileMode & 07777) : 0666);
  remove_old(dir.get(), name, d.path);
  if (k.mknodat(dir.get(), name.c_str(), mode,
                makedev(static_cast<unsigned>(d.major), static_cast<unsigned>(d.minor))) < 0) {
    throw Error::sys("mknod " + d.path);
  }
  if (k.fchownat(dir.get(), name.c_str(), d.uid.value_or(0), d.gid.value_or(0),
                 AT_SYMLINK_NOFOLLOW) < 0) {
    throw Error::sys("chown " + d.path);
  }
}

void make_symlink(int root_fd, const char* target, const char* link) {
  std::string parent, name;
  split_parent(link, parent, name);
  linux_::Fd dir = open_in_root(root_fd, parent, O_DIRECTORY);
  if (!dir) throw Error::sys(std::string("opening ") + parent);
  remove_old(dir.get(), name, link);
  if (linux_::kernel().symlinkat(target, dir.get(), name.c_str()) < 0) {
    throw Error::sys(std::string("symlink ") + link);
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
  mode_t old_umask = ::umask(0);
  try {
    with_context("creating the default devices in /dev", [&] {
      for (const auto& d : kDefaultDevices) {
        spec::LinuxDevice dev;
        dev.path = d.path;
        dev.type = "c";
        dev.major = d.major;
        dev.minor = d.minor;
        make_device(root.get(), dev, ctx.new_userns);
      }
    });
    if (ctx.spec->linux_) {
      for (size_t i = 0; i < ctx.spec->linux_->devices.size(); ++i) {
        const auto& d = ctx.spec->linux_->devices[i];
        with_context("config.json: /linux/devices/" + std::to_string(i),
                     [&] { make_device(root.get(), d, ctx.new_userns); });
      }
    }
    with_context("creating the /dev symlinks", [&] {
      make_symlink(root.get(), "/proc/self/fd", "/dev/fd");
      make_symlink(root.get(), "/proc/self/fd/0", "/dev/stdin");
      make_symlink(root.get(), "/proc/self/fd/1", "/dev/stdout");
      make_symlink(root.get(), "/proc/self/fd/2", "/dev/stderr");
      make_symlink(root.get(), "pts/ptmx", "/dev/ptmx");
    });
    // The console is bound over this file after finalize, when /dev may be read-only.
    if (ctx.spec->process && ctx.spec->process->terminal) {
      ensure_in_root(root.get(), "/dev/console", Kind::kFile);
    }
    if (::access("/proc/kcore", F_OK) == 0) make_symlink(root.get(), "/proc/kcore", "/dev/core");
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
