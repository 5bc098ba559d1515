// Thin wrappers over system calls that glibc 2.36 lacks or that we want with hull::Error.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "linux/fd.hpp"

struct clone_args;  // <linux/sched.h>

namespace hull::linux_ {

struct CloneArgs {
  uint64_t flags = 0;  // CLONE_NEW* and friends
  int cgroup_fd = -1;  // CLONE_INTO_CGROUP target when >= 0
  bool want_pidfd = true;
};

struct CloneResult {
  pid_t pid = -1;  // 0 in the child
  Fd pidfd;        // parent only
  // CLONE_INTO_CGROUP put the child in args.cgroup_fd's cgroup from its start. False on the
  // clone(2) fallback, whose child is moved by the parent while it may already run: a child
  // that must not run outside the cgroup waits for the parent or moves itself.
  bool in_cgroup = false;
};

// The kernel's clone3 arguments for args, zeroed first: exit signal SIGCHLD (0 with
// CLONE_PARENT, whose child signals our parent), CLONE_PIDFD into *pidfd when args want one,
// CLONE_INTO_CGROUP when args name a cgroup.
void fill_clone_args(const CloneArgs& args, struct clone_args& out, int* pidfd);

// Whether clone3 answered ENOSYS in this process (an old kernel, or a seccomp profile such as
// docker's default that hides it); clone3() and clone_sharing_memory() record it and then
// stop trying.
bool clone3_missing() noexcept;
void note_clone3_missing() noexcept;

// clone3 without a new stack: returns twice like fork(). Where clone3 answers ENOSYS, clone(2)
// with CLONE_PIDFD stands in, and a CLONE_INTO_CGROUP target gets the pid in cgroup.procs.
CloneResult clone3(const CloneArgs& args);

Fd pidfd_open(pid_t pid);
// Returns false when the process is already gone (ESRCH).
bool pidfd_send_signal(int pidfd, int sig);
void pivot_root(const char* new_root, const char* put_old);

// openat2 with RESOLVE_* flags; returns -1 with errno set instead of throwing. EAGAIN (a
// rename raced the lookup) and EINTR are retried up to kOpenat2Tries times; errno is EAGAIN
// only when every try lost that race.
inline constexpr int kOpenat2Tries = 128;
int openat2_raw(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve);

// Marks every fd from `first` upwards close-on-exec.
void cloexec_from(int first);

}  // namespace hull::linux_
