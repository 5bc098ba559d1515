#include "linux/syscalls.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "hull/error.hpp"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace hull::linux_ {

CloneResult clone3(const CloneArgs& args) {
  struct clone_args ca;
  std::memset(&ca, 0, sizeof(ca));
  int pidfd = -1;
  ca.flags = args.flags;
  ca.exit_signal = SIGCHLD;
  if (args.want_pidfd) {
    ca.flags |= CLONE_PIDFD;
    ca.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  }
  if (args.cgroup_fd >= 0) {
    ca.flags |= CLONE_INTO_CGROUP;
    ca.cgroup = static_cast<uint64_t>(args.cgroup_fd);
  }
  long pid = syscall(SYS_clone3, &ca, sizeof(ca));
  if (pid < 0) throw Error::sys("clone3");
  CloneResult r;
  r.pid = static_cast<pid_t>(pid);
  if (pid > 0) r.pidfd.reset(pidfd);
  return r;
}

Fd pidfd_open(pid_t pid) {
  long fd = syscall(SYS_pidfd_open, pid, 0);
  if (fd < 0) throw Error::sys("pidfd_open " + std::to_string(pid));
  return Fd(static_cast<int>(fd));
}

bool pidfd_send_signal(int pidfd, int sig) {
  if (syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0) == 0) return true;
  if (errno == ESRCH) return false;
  throw Error::sys("sending signal " + std::to_string(sig));
}

void pivot_root(const char* new_root, const char* put_old) {
  if (syscall(SYS_pivot_root, new_root, put_old) < 0) throw Error::sys("pivot_root");
}

int openat2_raw(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve) {
  struct open_how how;
  std::memset(&how, 0, sizeof(how));
  how.flags = flags;
  how.mode = mode;
  how.resolve = resolve;
  return static_cast<int>(syscall(SYS_openat2, dirfd, path, &how, sizeof(how)));
}

void cloexec_from(int first) {
  if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) < 0) {
    throw Error::sys("close_range");
  }
}

}  // namespace hull::linux_
