#include "linux/sys.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>

#include <cerrno>

#include "hull/error.hpp"

namespace hull::linux_::sys {

namespace {

[[noreturn]] void fail(const char* call, std::string_view object) {
  int err = errno;
  std::string what(call);
  if (!object.empty()) what.append(" ").append(object);
  throw Error::sys(std::move(what), err);
}

const char* or_empty(const char* s) {
  return s != nullptr ? s : "";
}

}  // namespace

Fd openat(int dirfd, const char* path, int flags, unsigned mode) {
  int fd = kernel().openat(dirfd, path, flags, mode);
  if (fd < 0) fail("open", path);
  return Fd(fd);
}

void mkdirat(int dirfd, const char* path, unsigned mode) {
  if (kernel().mkdirat(dirfd, path, mode) != 0) fail("mkdir", path);
}

void mknodat(int dirfd, const char* path, unsigned mode, dev_t dev) {
  if (kernel().mknodat(dirfd, path, mode, dev) != 0) fail("mknod", path);
}

void symlinkat(const char* target, int dirfd, const char* path) {
  if (kernel().symlinkat(target, dirfd, path) != 0) fail("symlink", path);
}

void unlinkat(int dirfd, const char* path, int flags) {
  if (kernel().unlinkat(dirfd, path, flags) != 0) fail("unlink", path);
}

void fchownat(int dirfd, const char* path, uid_t uid, gid_t gid, int flags) {
  if (kernel().fchownat(dirfd, path, uid, gid, flags) != 0) fail("chown", path);
}

void fchown(int fd, uid_t uid, gid_t gid, const char* what) {
  if (kernel().fchown(fd, uid, gid) != 0) fail("chown", or_empty(what));
}

void fchmod(int fd, unsigned mode, const char* what) {
  if (kernel().fchmod(fd, mode) != 0) fail("chmod", or_empty(what));
}

void mount(const char* source, const char* target, const char* fstype, unsigned long flags,
           const void* data) {
  if (kernel().mount(source, target, fstype, flags, data) != 0) fail("mount", or_empty(target));
}

void umount2(const char* target, int flags) {
  if (kernel().umount2(target, flags) != 0) fail("umount", target);
}

void chroot(const char* path) {
  if (kernel().chroot(path) != 0) fail("chroot", path);
}

void chdir(const char* path) {
  if (kernel().chdir(path) != 0) fail("chdir", path);
}

void fchdir(int fd, const char* what) {
  if (kernel().fchdir(fd) != 0) fail("fchdir", or_empty(what));
}

void setns(int fd, int nstype, const char* what) {
  if (kernel().setns(fd, nstype) != 0) fail("setns", or_empty(what));
}

void unshare(int flags) {
  if (kernel().unshare(flags) != 0) fail("unshare", "");
}

void sethostname(std::string_view name) {
  if (kernel().sethostname(name.data(), name.size()) != 0) fail("sethostname", name);
}

void setdomainname(std::string_view name) {
  if (kernel().setdomainname(name.data(), name.size()) != 0) fail("setdomainname", name);
}

void setresuid(uid_t uid) {
  if (kernel().setresuid(uid, uid, uid) != 0) fail("setresuid", std::to_string(uid));
}

void setresgid(gid_t gid) {
  if (kernel().setresgid(gid, gid, gid) != 0) fail("setresgid", std::to_string(gid));
}

void setgroups(size_t n, const gid_t* list) {
  if (kernel().setgroups(n, list) != 0) fail("setgroups", "");
}

void prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5,
           const char* what) {
  if (kernel().prctl(option, a2, a3, a4, a5) < 0) fail("prctl", or_empty(what));
}

pid_t setsid() {
  pid_t sid = kernel().setsid();
  if (sid < 0) fail("setsid", "");
  return sid;
}

pid_t waitpid(pid_t pid, int* status, int options) {
  for (;;) {
    pid_t got = kernel().waitpid(pid, status, options);
    if (got >= 0) return got;
    if (errno != EINTR) fail("waitpid", std::to_string(pid));
  }
}

void kill(pid_t pid, int sig) {
  if (kernel().kill(pid, sig) != 0) fail("kill", std::to_string(pid));
}

void dup2(int oldfd, int newfd) {
  if (oldfd == newfd) {
    int flags = kernel().fcntl(oldfd, F_GETFD, 0);
    if (flags < 0) fail("dup2", std::to_string(oldfd));
    if ((flags & FD_CLOEXEC) != 0 && kernel().fcntl(oldfd, F_SETFD, flags & ~FD_CLOEXEC) < 0) {
      fail("dup2", std::to_string(oldfd));
    }
    return;
  }
  if (kernel().dup3(oldfd, newfd, 0) < 0) fail("dup2", std::to_string(newfd));
}

int fcntl(int fd, int cmd, long arg, const char* what) {
  int rc = kernel().fcntl(fd, cmd, arg);
  if (rc < 0) fail("fcntl", or_empty(what));
  return rc;
}

void ioctl(int fd, unsigned long request, void* arg, const char* what) {
  if (kernel().ioctl(fd, request, arg) < 0) fail("ioctl", or_empty(what));
}

Fd socket(int domain, int type, int protocol) {
  int fd = kernel().socket(domain, type, protocol);
  if (fd < 0) fail("socket", "");
  return Fd(fd);
}

std::pair<Fd, Fd> pipe2(int flags) {
  int fds[2];
  if (kernel().pipe2(fds, flags) != 0) fail("pipe", "");
  return {Fd(fds[0]), Fd(fds[1])};
}

void mkfifo(const char* path, unsigned mode) {
  if (kernel().mknodat(AT_FDCWD, path, S_IFIFO | mode, 0) != 0) fail("mkfifo", path);
}

int poll(pollfd* fds, unsigned long n, int timeout_ms, const char* what) {
  for (;;) {
    int rc = kernel().poll(fds, n, timeout_ms);
    if (rc >= 0) return rc;
    if (errno != EINTR) fail("poll", or_empty(what));
  }
}

}  // namespace hull::linux_::sys
