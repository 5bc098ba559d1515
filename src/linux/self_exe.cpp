#include "linux/self_exe.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "hull/error.hpp"
#include "linux/dir_names.hpp"
#include "linux/fd.hpp"
#include "linux/kernel.hpp"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif

extern char** environ;

namespace hull::linux_ {
namespace {

// Set across the re-exec only; a process that still runs from a writable binary with it set
// would otherwise re-exec forever.
constexpr const char* kMarker = "_HULL_SELF_PROTECTED";
constexpr int kSeals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

// A binary on a read-only mount, or a memfd with every write sealed off.
bool unwritable(int fd) {
  struct statvfs v;
  if (::fstatvfs(fd, &v) == 0 && (v.f_flag & ST_RDONLY)) return true;
  int seals = kernel().fcntl(fd, F_GET_SEALS, 0);
  return seals >= 0 && (seals & kSeals) == kSeals;
}

bool is_view_of(int fd, const struct stat& self) {
  struct stat st;
  struct statvfs v;
  return ::fstat(fd, &st) == 0 && st.st_dev == self.st_dev && st.st_ino == self.st_ino &&
         ::fstatvfs(fd, &v) == 0 && (v.f_flag & ST_RDONLY);
}

// Binds the binary read-only onto the placeholder leaf in dir. Under dir's lock.
bool make_view(int self_fd, int dir, const std::string& leaf, const std::string& path) {
  Fd placeholder(kernel().openat(dir, leaf.c_str(),
                                 O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0500));
  if (!placeholder) return false;
  placeholder.reset();
  std::string source = "/proc/self/fd/" + std::to_string(self_fd);
  if (kernel().mount(source.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) == 0) {
    // Unbindable: a container given an rbind of the host's /run must not get a copy of the
    // view that, holding CAP_SYS_ADMIN, it could remount read-write.
    if (kernel().mount(nullptr, path.c_str(), nullptr,
                       MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr) == 0 &&
        kernel().mount(nullptr, path.c_str(), nullptr, MS_UNBINDABLE, nullptr) == 0) {
      return true;
    }
    kernel().umount2(path.c_str(), MNT_DETACH);
  }
  kernel().unlinkat(dir, leaf.c_str(), 0);
  return false;
}

// Views of binaries since deleted (an upgrade, a rebuild) pin those files; nothing can start
// them any more, and processes still running one keep their file when its mount is detached.
void drop_stale_views(int dir, const std::string& keep) {
  auto d = DirNames::try_open(dir, kSelfViewDir);
  if (!d) return;
  try {
    while (d->next()) {
      std::string name = d->name();
      if (name == keep) continue;
      Fd f(kernel().openat(dir, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0));
      struct stat st;
      if (!f || ::fstat(f.get(), &st) < 0 || !S_ISREG(st.st_mode) || st.st_nlink != 0) continue;
      std::string path = std::string(kSelfViewDir) + "/" + name;
      kernel().umount2(path.c_str(), MNT_DETACH | UMOUNT_NOFOLLOW);
      kernel().unlinkat(dir, name.c_str(), 0);
    }
  } catch (const Error&) {
    // A sweep cut short by a read error: the stale views wait for the next create.
  }
}

// The read-only view of the binary, made on first use; an invalid Fd where it cannot be made.
Fd open_view(int self_fd, const struct stat& self) {
  std::string leaf = std::to_string(self.st_dev) + "-" + std::to_string(self.st_ino);
  std::string path = std::string(kSelfViewDir) + "/" + leaf;
  Fd view(kernel().openat(AT_FDCWD, path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0));
  if (view && is_view_of(view.get(), self)) return view;
  view.reset();

  // Slow path, once per binary: the directory must be ours alone, and one hull makes the view
  // while others wait on its lock and then find it.
  if (kernel().mkdirat(AT_FDCWD, "/run/hull", 0700) < 0 && errno != EEXIST) return {};
  if (kernel().mkdirat(AT_FDCWD, kSelfViewDir, 0700) < 0 && errno != EEXIST) return {};
  Fd dir(
      kernel().openat(AT_FDCWD, kSelfViewDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0));
  struct stat ds;
  if (!dir || ::fstat(dir.get(), &ds) < 0 || ds.st_uid != ::geteuid() || (ds.st_mode & 022)) {
    return {};
  }
  if (::flock(dir.get(), LOCK_EX) < 0) return {};
  view.reset(kernel().openat(dir.get(), leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0));
  if (view && is_view_of(view.get(), self)) return view;
  if (view) {
    // Left half made, or a placeholder whose mount lives in another mount namespace.
    view.reset();
    kernel().umount2(path.c_str(), MNT_DETACH);
    kernel().unlinkat(dir.get(), leaf.c_str(), 0);
  }
  drop_stale_views(dir.get(), leaf);
  if (!make_view(self_fd, dir.get(), leaf, path)) return {};
  view.reset(kernel().openat(dir.get(), leaf.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0));
  if (view && is_view_of(view.get(), self)) return view;
  return {};
}

// A copy of the binary in a memfd sealed against every change.
Fd sealed_copy(int self_fd, const struct stat& self) {
  int fd = kernel().memfd_create("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
  if (fd < 0 && errno == EINVAL) {
    // Kernels before 6.3 know no MFD_EXEC; their memfds are executable anyway.
    fd = kernel().memfd_create("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  }
  if (fd < 0) throw Error::sys("protecting the hull binary: memfd_create");
  Fd copy(fd);
  off_t off = 0;
  while (off < self.st_size) {
    ssize_t n = ::sendfile(copy.get(), self_fd, &off, static_cast<size_t>(self.st_size - off));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error::sys("protecting the hull binary: copying it to a memfd");
  }
  if (kernel().fcntl(copy.get(), F_ADD_SEALS, kSeals) < 0) {
    throw Error::sys("protecting the hull binary: sealing its memfd copy");
  }
  return copy;
}

}  // namespace

void forget_reexecution() {
  ::unsetenv(kMarker);
}

bool reexecuted_protected() {
  return ::getenv(kMarker) != nullptr;
}

void protect_self_exe(char** argv) {
  Fd self(kernel().openat(AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC, 0));
  if (!self) throw Error::sys("protecting the hull binary: opening /proc/self/exe");
  bool reexecuted = ::getenv(kMarker) != nullptr;
  ::unsetenv(kMarker);
  if (unwritable(self.get())) return;
  if (reexecuted) {
    throw Error("protecting the hull binary: still writable after re-executing from a copy");
  }
  struct stat st;
  if (::fstat(self.get(), &st) < 0) throw Error::sys("protecting the hull binary: fstat");
  Fd target = open_view(self.get(), st);
  if (!target) target = sealed_copy(self.get(), st);
  ::setenv(kMarker, "1", 1);
  kernel().execveat(target.get(), "", argv, environ, AT_EMPTY_PATH);
  int err = errno;
  ::unsetenv(kMarker);
  throw Error::sys("protecting the hull binary: re-executing from its protected copy", err);
}

}  // namespace hull::linux_
