#include "linux/kernel.hpp"

#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>

#ifndef KEYCTL_JOIN_SESSION_KEYRING
#define KEYCTL_JOIN_SESSION_KEYRING 1
#endif

namespace hull::linux_ {

namespace {

constexpr std::array<const char*, static_cast<size_t>(Sys::count_)> kSysNames = {
    "open",        "mkdir", "mknod",  "symlink", "unlink",     "rename",      "chown", "chmod",
    "write",       "read",  "mount",  "umount",  "pivot_root", "chdir",       "setns", "unshare",
    "sethostname", "setid", "caps",   "prctl",   "keyctl",     "personality", "clone", "wait",
    "kill",        "exec",  "setsid", "rlimit",  "sched",      "seccomp",     "bpf",   "dup",
    "fcntl",       "ioctl", "close",  "socket",  "send",       "recv"};

// The real calls. Where glibc 2.36 has no wrapper (or one whose header clashes with the
// kernel's), syscall(2) stands in.
class HostKernel final : public Kernel {
 public:
  int openat(int dirfd, const char* path, int flags, unsigned mode) override {
    return ::openat(dirfd, path, flags, mode);
  }
  long openat2(int dirfd, const char* path, open_how* how, size_t size) override {
    return ::syscall(SYS_openat2, dirfd, path, how, size);
  }
  int mkdirat(int dirfd, const char* path, unsigned mode) override {
    return ::mkdirat(dirfd, path, mode);
  }
  int mknodat(int dirfd, const char* path, unsigned mode, dev_t dev) override {
    return ::mknodat(dirfd, path, mode, dev);
  }
  int symlinkat(const char* target, int dirfd, const char* path) override {
    return ::symlinkat(target, dirfd, path);
  }
  int unlinkat(int dirfd, const char* path, int flags) override {
    return ::unlinkat(dirfd, path, flags);
  }
  int renameat2(int olddirfd, const char* oldpath, int newdirfd, const char* newpath,
                unsigned flags) override {
    return ::renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
  }
  int fchownat(int dirfd, const char* path, uid_t uid, gid_t gid, int flags) override {
    return ::fchownat(dirfd, path, uid, gid, flags);
  }
  int fchown(int fd, uid_t uid, gid_t gid) override { return ::fchown(fd, uid, gid); }
  int fchmodat(int dirfd, const char* path, unsigned mode, int flags) override {
    return ::fchmodat(dirfd, path, mode, flags);
  }
  int fchmod(int fd, unsigned mode) override { return ::fchmod(fd, mode); }
  ssize_t write(int fd, const void* buf, size_t count) override { return ::write(fd, buf, count); }
  ssize_t read(int fd, void* buf, size_t count) override { return ::read(fd, buf, count); }
  int ftruncate(int fd, off_t length) override { return ::ftruncate(fd, length); }
  int memfd_create(const char* name, unsigned flags) override {
    return static_cast<int>(::syscall(SYS_memfd_create, name, flags));
  }
  int fsync(int fd) override { return ::fsync(fd); }

  int mount(const char* source, const char* target, const char* fstype, unsigned long flags,
            const void* data) override {
    return ::mount(source, target, fstype, flags, data);
  }
  int umount2(const char* target, int flags) override { return ::umount2(target, flags); }
  int open_tree(int dirfd, const char* path, unsigned flags) override {
    return static_cast<int>(::syscall(SYS_open_tree, dirfd, path, flags));
  }
  int move_mount(int from_dirfd, const char* from_path, int to_dirfd, const char* to_path,
                 unsigned flags) override {
    return static_cast<int>(
        ::syscall(SYS_move_mount, from_dirfd, from_path, to_dirfd, to_path, flags));
  }
  int mount_setattr(int dirfd, const char* path, unsigned flags, mount_attr* attr,
                    size_t size) override {
    return static_cast<int>(::syscall(SYS_mount_setattr, dirfd, path, flags, attr, size));
  }
  int pivot_root(const char* new_root, const char* put_old) override {
    return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
  }
  int chroot(const char* path) override { return ::chroot(path); }
  int chdir(const char* path) override { return ::chdir(path); }
  int fchdir(int fd) override { return ::fchdir(fd); }

  int setns(int fd, int nstype) override { return ::setns(fd, nstype); }
  int unshare(int flags) override { return ::unshare(flags); }
  int sethostname(const char* name, size_t len) override { return ::sethostname(name, len); }
  int setdomainname(const char* name, size_t len) override { return ::setdomainname(name, len); }
  int setresuid(uid_t r, uid_t e, uid_t s) override { return ::setresuid(r, e, s); }
  int setresgid(gid_t r, gid_t e, gid_t s) override { return ::setresgid(r, e, s); }
  int setgroups(size_t n, const gid_t* list) override { return ::setgroups(n, list); }
  int cap_set_proc(cap_t caps) override { return ::cap_set_proc(caps); }
  int prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4,
            unsigned long a5) override {
    return ::prctl(option, a2, a3, a4, a5);
  }
  long keyctl_join(const char* name) override {
    return ::syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name);
  }
  int personality(unsigned long persona) override { return ::personality(persona); }

  long clone3(clone_args* args, size_t size) override { return ::syscall(SYS_clone3, args, size); }
  // fork()'s convention (no new stack); x86_64 and aarch64 order: flags, stack, parent_tid
  // (where CLONE_PIDFD puts the pidfd), child_tid, tls.
  long clone(unsigned long flags, int* pidfd) override {
    return ::syscall(SYS_clone, flags, nullptr, pidfd, nullptr, nullptr);
  }
  // The child runs fn(arg) on args->stack and exits (shared_clone.cpp).
  long clone3_on_stack(clone_args* args, size_t size, int (*fn)(void*), void* arg) override {
    return host_clone3_on_stack(args, size, fn, arg);
  }
  pid_t waitpid(pid_t pid, int* status, int options) override {
    return ::waitpid(pid, status, options);
  }
  int kill(pid_t pid, int sig) override { return ::kill(pid, sig); }
  int pidfd_open(pid_t pid, unsigned flags) override {
    return static_cast<int>(::syscall(SYS_pidfd_open, pid, flags));
  }
  int pidfd_send_signal(int pidfd, int sig) override {
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
  }
  int execve(const char* path, char* const* argv, char* const* envp) override {
    return ::execve(path, argv, envp);
  }
  int execveat(int dirfd, const char* path, char* const* argv, char* const* envp,
               int flags) override {
    return static_cast<int>(::syscall(SYS_execveat, dirfd, path, argv, envp, flags));
  }
  pid_t setsid() override { return ::setsid(); }

  int prlimit(pid_t pid, int resource, const struct rlimit* limit, struct rlimit* old) override {
    return ::prlimit(pid, static_cast<__rlimit_resource>(resource), limit, old);
  }
  int sched_setattr(pid_t pid, sched_attr* attr, unsigned flags) override {
    return static_cast<int>(::syscall(SYS_sched_setattr, pid, attr, flags));
  }
  int sched_setaffinity(pid_t pid, size_t size, const cpu_set_t* set) override {
    return ::sched_setaffinity(pid, size, set);
  }
  int ioprio_set(int which, int who, int ioprio) override {
    return static_cast<int>(::syscall(SYS_ioprio_set, which, who, ioprio));
  }
  long set_mempolicy(int mode, const unsigned long* mask, unsigned long maxnode) override {
    return ::syscall(SYS_set_mempolicy, mode, mask, maxnode);
  }
  long seccomp(unsigned op, unsigned flags, void* args) override {
    return ::syscall(SYS_seccomp, op, flags, args);
  }
  long bpf(int cmd, bpf_attr* attr, unsigned size) override {
    return ::syscall(SYS_bpf, cmd, attr, size);
  }

  int dup3(int oldfd, int newfd, int flags) override { return ::dup3(oldfd, newfd, flags); }
  int fcntl(int fd, int cmd, long arg) override { return ::fcntl(fd, cmd, arg); }
  int ioctl(int fd, unsigned long request, void* arg) override { return ::ioctl(fd, request, arg); }
  int close_range(unsigned first, unsigned last, unsigned flags) override {
    return static_cast<int>(::syscall(SYS_close_range, first, last, flags));
  }
  int socket(int domain, int type, int protocol) override {
    return ::socket(domain, type, protocol);
  }
  int socketpair(int domain, int type, int protocol, int* fds) override {
    return ::socketpair(domain, type, protocol, fds);
  }
  int bind(int fd, const sockaddr* addr, socklen_t len) override { return ::bind(fd, addr, len); }
  int connect(int fd, const sockaddr* addr, socklen_t len) override {
    return ::connect(fd, addr, len);
  }
  ssize_t sendmsg(int fd, const msghdr* msg, int flags) override {
    return ::sendmsg(fd, msg, flags);
  }
  ssize_t recvmsg(int fd, msghdr* msg, int flags) override { return ::recvmsg(fd, msg, flags); }
  int pipe2(int* fds, int flags) override { return ::pipe2(fds, flags); }
  int poll(pollfd* fds, unsigned long n, int timeout) override { return ::poll(fds, n, timeout); }
};

HostKernel g_host;
Kernel* g_current = &g_host;

}  // namespace

const char* sys_name(Sys kind) {
  auto i = static_cast<size_t>(kind);
  return i < kSysNames.size() ? kSysNames[i] : nullptr;
}

Sys sys_from_name(std::string_view name) {
  for (size_t i = 0; i < kSysNames.size(); ++i) {
    if (name == kSysNames[i]) return static_cast<Sys>(i);
  }
  return Sys::count_;
}

Kernel& kernel() {
  return *g_current;
}
Kernel& host_kernel() {
  return g_host;
}

Kernel* set_kernel(Kernel* k) {
  Kernel* previous = g_current;
  g_current = k != nullptr ? k : &g_host;
  return previous;
}

}  // namespace hull::linux_
