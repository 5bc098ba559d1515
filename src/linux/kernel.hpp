// The seam between hull and the kernel. Every system call the runtime makes goes through
// kernel(), an implementation of Kernel: the host one (the real calls) or, in tests, a
// FaultKernel (linux/fault_kernel.hpp) that records each call and can fail the Nth call of a
// kind. The methods keep the system calls' own contract: a result, or -1 with errno set.
// linux/sys.hpp has the checked wrappers that turn a failure into hull::Error; use those
// unless the caller handles an errno itself (ENOENT as "absent", EINTR, EBUSY …).
//
// HULL_SYSCALLS is the one list of the calls: X(result, name, kind, params, args, what) where
// kind groups calls for fault plans ("mount:3" fails the third mount-kind call) and what is
// an expression naming the object of the call in a record.
#pragma once

#include <sched.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

struct clone_args;
struct open_how;
struct mount_attr;
struct sched_attr;
struct sock_fprog;
struct pollfd;
union bpf_attr;
typedef struct _cap_struct* cap_t;

namespace hull::linux_ {

// clang-format off
#define HULL_SYSCALLS(X)                                                                          \
  /* files */                                                                                     \
  X(int, openat, open, (int dirfd, const char* path, int flags, unsigned mode),                    \
    (dirfd, path, flags, mode), path)                                                             \
  X(long, openat2, open, (int dirfd, const char* path, open_how* how, size_t size),                \
    (dirfd, path, how, size), path)                                                               \
  X(int, mkdirat, mkdir, (int dirfd, const char* path, unsigned mode), (dirfd, path, mode), path)  \
  X(int, mknodat, mknod, (int dirfd, const char* path, unsigned mode, dev_t dev),                  \
    (dirfd, path, mode, dev), path)                                                               \
  X(int, symlinkat, symlink, (const char* target, int dirfd, const char* path),                    \
    (target, dirfd, path), path)                                                                  \
  X(int, unlinkat, unlink, (int dirfd, const char* path, int flags), (dirfd, path, flags), path)   \
  X(int, renameat2, rename,                                                                       \
    (int olddirfd, const char* oldpath, int newdirfd, const char* newpath, unsigned flags),       \
    (olddirfd, oldpath, newdirfd, newpath, flags), newpath)                                       \
  X(int, fchownat, chown, (int dirfd, const char* path, uid_t uid, gid_t gid, int flags),          \
    (dirfd, path, uid, gid, flags), path)                                                         \
  X(int, fchown, chown, (int fd, uid_t uid, gid_t gid), (fd, uid, gid), "fd")                      \
  X(int, fchmodat, chmod, (int dirfd, const char* path, unsigned mode, int flags),                 \
    (dirfd, path, mode, flags), path)                                                             \
  X(int, fchmod, chmod, (int fd, unsigned mode), (fd, mode), "fd")                                 \
  X(ssize_t, write, write, (int fd, const void* buf, size_t count), (fd, buf, count), "fd")        \
  X(ssize_t, read, read, (int fd, void* buf, size_t count), (fd, buf, count), "fd")                \
  X(int, ftruncate, write, (int fd, off_t length), (fd, length), "fd")                             \
  X(int, memfd_create, open, (const char* name, unsigned flags), (name, flags), name)              \
  X(int, fsync, write, (int fd), (fd), "fd")                                                       \
  /* mounts and the root */                                                                       \
  X(int, mount, mount,                                                                            \
    (const char* source, const char* target, const char* fstype, unsigned long flags,             \
     const void* data),                                                                           \
    (source, target, fstype, flags, data), target)                                                \
  X(int, umount2, umount, (const char* target, int flags), (target, flags), target)                \
  X(int, open_tree, mount, (int dirfd, const char* path, unsigned flags), (dirfd, path, flags),    \
    path)                                                                                         \
  X(int, move_mount, mount,                                                                       \
    (int from_dirfd, const char* from_path, int to_dirfd, const char* to_path, unsigned flags),   \
    (from_dirfd, from_path, to_dirfd, to_path, flags), to_path)                                   \
  X(int, mount_setattr, mount,                                                                    \
    (int dirfd, const char* path, unsigned flags, mount_attr* attr, size_t size),                 \
    (dirfd, path, flags, attr, size), path)                                                       \
  X(int, pivot_root, pivot_root, (const char* new_root, const char* put_old),                      \
    (new_root, put_old), new_root)                                                                \
  X(int, chroot, chdir, (const char* path), (path), path)                                          \
  X(int, chdir, chdir, (const char* path), (path), path)                                           \
  X(int, fchdir, chdir, (int fd), (fd), "fd")                                                      \
  /* namespaces and identity */                                                                   \
  X(int, setns, setns, (int fd, int nstype), (fd, nstype), "ns")                                   \
  X(int, unshare, unshare, (int flags), (flags), "unshare")                                        \
  X(int, sethostname, sethostname, (const char* name, size_t len), (name, len), name)              \
  X(int, setdomainname, sethostname, (const char* name, size_t len), (name, len), name)            \
  X(int, setresuid, setid, (uid_t r, uid_t e, uid_t s), (r, e, s), "uid")                          \
  X(int, setresgid, setid, (gid_t r, gid_t e, gid_t s), (r, e, s), "gid")                          \
  X(int, setgroups, setid, (size_t n, const gid_t* list), (n, list), "groups")                     \
  X(int, cap_set_proc, caps, (cap_t caps), (caps), "caps")                                         \
  X(int, prctl, prctl,                                                                            \
    (int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5),         \
    (option, a2, a3, a4, a5), "prctl")                                                            \
  X(long, keyctl_join, keyctl, (const char* name), (name), name)                                   \
  X(int, personality, personality, (unsigned long persona), (persona), "personality")              \
  /* processes */                                                                                 \
  X(long, clone3, clone, (clone_args* args, size_t size), (args, size), "clone3")                  \
  X(long, clone, clone, (unsigned long flags, int* pidfd), (flags, pidfd), "clone")                \
  X(long, clone3_on_stack, clone, (clone_args* args, size_t size, int (*fn)(void*), void* arg),    \
    (args, size, fn, arg), "clone3")                                                              \
  X(pid_t, waitpid, wait, (pid_t pid, int* status, int options), (pid, status, options), "wait")   \
  X(int, kill, kill, (pid_t pid, int sig), (pid, sig), "kill")                                     \
  X(int, pidfd_open, open, (pid_t pid, unsigned flags), (pid, flags), "pidfd")                     \
  X(int, pidfd_send_signal, kill, (int pidfd, int sig), (pidfd, sig), "pidfd")                     \
  X(int, execve, exec, (const char* path, char* const* argv, char* const* envp),                   \
    (path, argv, envp), path)                                                                     \
  X(int, execveat,                                                                                \
    exec, (int dirfd, const char* path, char* const* argv, char* const* envp, int flags),         \
    (dirfd, path, argv, envp, flags), path)                                                       \
  X(pid_t, setsid, setsid, (), (), "setsid")                                                       \
  /* limits, scheduling, filters */                                                               \
  X(int, prlimit, rlimit,                                                                         \
    (pid_t pid, int resource, const struct rlimit* limit, struct rlimit* old),                    \
    (pid, resource, limit, old), "rlimit")                                                        \
  X(int, sched_setattr, sched, (pid_t pid, sched_attr* attr, unsigned flags), (pid, attr, flags),  \
    "sched")                                                                                      \
  X(int, sched_setaffinity, sched, (pid_t pid, size_t size, const cpu_set_t* set),                 \
    (pid, size, set), "affinity")                                                                 \
  X(int, ioprio_set, sched, (int which, int who, int ioprio), (which, who, ioprio), "ioprio")      \
  X(long, set_mempolicy, sched, (int mode, const unsigned long* mask, unsigned long maxnode),      \
    (mode, mask, maxnode), "mempolicy")                                                           \
  X(long, seccomp, seccomp, (unsigned op, unsigned flags, void* args), (op, flags, args),          \
    "seccomp")                                                                                    \
  X(long, bpf, bpf, (int cmd, bpf_attr* attr, unsigned size), (cmd, attr, size), "bpf")            \
  /* descriptors, terminals, sockets */                                                           \
  X(int, dup3, dup, (int oldfd, int newfd, int flags), (oldfd, newfd, flags), "dup")               \
  X(int, fcntl, fcntl, (int fd, int cmd, long arg), (fd, cmd, arg), "fcntl")                       \
  X(int, ioctl, ioctl, (int fd, unsigned long request, void* arg), (fd, request, arg), "ioctl")    \
  X(int, close_range, close, (unsigned first, unsigned last, unsigned flags),                      \
    (first, last, flags), "close_range")                                                          \
  X(int, socket, socket, (int domain, int type, int protocol), (domain, type, protocol),           \
    "socket")                                                                                     \
  X(int, socketpair, socket, (int domain, int type, int protocol, int* fds),                       \
    (domain, type, protocol, fds), "socketpair")                                                  \
  X(int, bind, socket, (int fd, const sockaddr* addr, socklen_t len), (fd, addr, len), "bind")     \
  X(int, connect, socket, (int fd, const sockaddr* addr, socklen_t len), (fd, addr, len),          \
    "connect")                                                                                    \
  X(ssize_t, sendmsg, send, (int fd, const msghdr* msg, int flags), (fd, msg, flags), "sendmsg")   \
  X(ssize_t, recvmsg, recv, (int fd, msghdr* msg, int flags), (fd, msg, flags), "recvmsg")     \
  /* pipes and waits */                                                                          \
  X(int, pipe2, open, (int* fds, int flags), (fds, flags), "pipe")                                \
  X(int, poll, wait, (pollfd* fds, unsigned long n, int timeout), (fds, n, timeout), "poll")
// clang-format on

// The kinds a fault plan names; several calls share one (openat, openat2 and memfd_create
// are all "open").
enum class Sys : uint8_t {
  open,
  mkdir,
  mknod,
  symlink,
  unlink,
  rename,
  chown,
  chmod,
  write,
  read,
  mount,
  umount,
  pivot_root,
  chdir,
  setns,
  unshare,
  sethostname,
  setid,
  caps,
  prctl,
  keyctl,
  personality,
  clone,
  wait,
  kill,
  exec,
  setsid,
  rlimit,
  sched,
  seccomp,
  bpf,
  dup,
  fcntl,
  ioctl,
  close,
  socket,
  send,
  recv,
  count_
};

// "mount", "open" …; nullptr for count_.
const char* sys_name(Sys kind);
// The kind named by name, or Sys::count_ when there is none.
Sys sys_from_name(std::string_view name);

class Kernel {
 public:
  virtual ~Kernel() = default;
#define HULL_DECLARE_CALL(result, name, kind, params, args, what) virtual result name params = 0;
  HULL_SYSCALLS(HULL_DECLARE_CALL)
#undef HULL_DECLARE_CALL
};

// The implementation in use: the host's unless a test installed another.
Kernel& kernel();
// The real calls.
Kernel& host_kernel();
// Installs k (nullptr: the host's) and returns the one it replaces.
Kernel* set_kernel(Kernel* k);

// clone3 whose child runs fn(arg) on the stack args names and exits with its result
// (shared_clone.cpp); -1 with ENOSYS where this build has no such call.
long host_clone3_on_stack(clone_args* args, size_t size, int (*fn)(void*), void* arg);

// Installs a kernel for one scope (tests).
class ScopedKernel {
 public:
  explicit ScopedKernel(Kernel& k) : previous_(set_kernel(&k)) {}
  ScopedKernel(const ScopedKernel&) = delete;
  ScopedKernel& operator=(const ScopedKernel&) = delete;
  ~ScopedKernel() { set_kernel(previous_); }

 private:
  Kernel* previous_;
};

}  // namespace hull::linux_
