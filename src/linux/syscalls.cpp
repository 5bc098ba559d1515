#include "linux/syscalls.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <string>

#include "hull/error.hpp"
#include "linux/kernel.hpp"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace hull::linux_ {

namespace {

// Set once clone3 answered ENOSYS: later clones in this process go straight to clone(2).
std::atomic<bool> g_clone3_missing{false};

long raw_clone3(const CloneArgs& args, int* pidfd) {
  struct clone_args ca;
  fill_clone_args(args, ca, pidfd);
  return kernel().clone3(&ca, sizeof(ca));
}

// clone(2) with fork()'s calling convention (no new stack). It has no CLONE_INTO_CGROUP: the
// pid goes into cgroup.procs before returning, and the callers' children wait for a go from
// the parent before they run anything that the cgroup must account for.
long raw_clone(const CloneArgs& args, int* pidfd) {
  if (args.flags & ~0xffffffffULL) {
    errno = EINVAL;
    return -1;
  }
  unsigned long flags = args.flags | SIGCHLD;
  if (args.want_pidfd) flags |= CLONE_PIDFD;
  long pid = kernel().clone(flags, args.want_pidfd ? pidfd : nullptr);
  if (pid <= 0 || args.cgroup_fd < 0) return pid;
  std::string procs = std::to_string(pid);
  int fd = kernel().openat(args.cgroup_fd, "cgroup.procs", O_WRONLY | O_CLOEXEC, 0);
  bool moved = fd >= 0 &&
               kernel().write(fd, procs.data(), procs.size()) == static_cast<ssize_t>(procs.size());
  int err = errno;
  if (fd >= 0) ::close(fd);
  if (moved) return pid;
  kernel().kill(static_cast<pid_t>(pid), SIGKILL);
  while (kernel().waitpid(static_cast<pid_t>(pid), nullptr, 0) < 0 && errno == EINTR) {
  }
  if (args.want_pidfd) ::close(*pidfd);
  errno = err;
  return -2;
}

}  // namespace

void fill_clone_args(const CloneArgs& args, struct clone_args& out, int* pidfd) {
  std::memset(&out, 0, sizeof(out));
  out.flags = args.flags;
  // clone3 wants 0 here with CLONE_PARENT.
  out.exit_signal = (args.flags & CLONE_PARENT) ? 0 : SIGCHLD;
  if (args.want_pidfd) {
    out.flags |= CLONE_PIDFD;
    out.pidfd = reinterpret_cast<uint64_t>(pidfd);
  }
  if (args.cgroup_fd >= 0) {
    out.flags |= CLONE_INTO_CGROUP;
    out.cgroup = static_cast<uint64_t>(args.cgroup_fd);
  }
}

bool clone3_missing() noexcept {
  return g_clone3_missing.load(std::memory_order_relaxed);
}

void note_clone3_missing() noexcept {
  g_clone3_missing.store(true, std::memory_order_relaxed);
}

CloneResult clone3(const CloneArgs& args) {
  int pidfd = -1;
  long pid = -1;
  if (!clone3_missing()) {
    pid = raw_clone3(args, &pidfd);
    if (pid < 0 && errno == ENOSYS) note_clone3_missing();
  }
  bool fallback = clone3_missing();
  if (fallback) {
    pid = raw_clone(args, &pidfd);
    if (pid == -2) throw Error::sys("clone: moving the child into its cgroup (cgroup.procs)");
    if (pid < 0) throw Error::sys("clone (clone3 is not available)");
  }
  if (pid < 0) throw Error::sys("clone3");
  CloneResult r;
  r.pid = static_cast<pid_t>(pid);
  r.in_cgroup = args.cgroup_fd >= 0 && !fallback;
  if (pid > 0) r.pidfd.reset(pidfd);
  return r;
}

Fd pidfd_open(pid_t pid) {
  long fd = kernel().pidfd_open(pid, 0);
  if (fd < 0) throw Error::sys("pidfd_open " + std::to_string(pid));
  return Fd(static_cast<int>(fd));
}

bool pidfd_send_signal(int pidfd, int sig) {
  if (kernel().pidfd_send_signal(pidfd, sig) == 0) return true;
  if (errno == ESRCH) return false;
  throw Error::sys("sending signal " + std::to_string(sig));
}

void pivot_root(const char* new_root, const char* put_old) {
  if (kernel().pivot_root(new_root, put_old) < 0) throw Error::sys("pivot_root");
}

int openat2_raw(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve) {
  struct open_how how;
  std::memset(&how, 0, sizeof(how));
  how.flags = flags;
  how.mode = mode;
  how.resolve = resolve;
  // With RESOLVE_IN_ROOT/BENEATH/NO_XDEV the kernel answers EAGAIN when a rename or mount
  // anywhere on the host raced the lookup (the seqlock it checks is global), asking for a
  // retry. Bounded, so that a lookup starved for good still ends with an error.
  for (int attempt = 0; attempt < kOpenat2Tries; ++attempt) {
    long fd = kernel().openat2(dirfd, path, &how, sizeof(how));
    if (fd >= 0) return static_cast<int>(fd);
    if (errno != EAGAIN && errno != EINTR) return -1;
  }
  errno = EAGAIN;
  return -1;
}

void cloexec_from(int first) {
  if (kernel().close_range(first, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
    throw Error::sys("close_range");
  }
}

}  // namespace hull::linux_
