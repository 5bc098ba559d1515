// A child that shares the caller's memory (CLONE_VM | CLONE_VFORK) and runs on a stack of its
// own: what vfork does, with clone3's flags and CLONE_INTO_CGROUP. It costs no copy of the page
// tables and no copy-on-write faults in either process, and the caller sleeps until the child
// has exited (or exec'd), so the two never run at once.
//
// The child runs in the caller's memory, on the caller's thread-local storage: it may read
// anything and allocate, but must not change an object the caller goes on using (close its own
// copies of fds with ::close, never through the caller's RAII owners), and must end in _exit.
// Its dumpable flag is the caller's (one per memory).
#pragma once

#include "linux/syscalls.hpp"

namespace hull::linux_ {

// Whether this build can: x86_64 without AddressSanitizer (a stack it did not make confuses
// it). Where it cannot, callers fork instead.
bool shared_clone_supported() noexcept;

// Runs fn(arg) in such a child, created with args' flags and cgroup (no pidfd), and returns
// when it has exited: pid > 0, to be reaped. pid -1 where clone3 is missing (an old kernel, a
// seccomp profile that hides it): nothing ran, and the caller forks instead (clone3() falls
// back to clone(2)). Throws hull::Error when the clone fails otherwise.
CloneResult clone_sharing_memory(const CloneArgs& args, int (*fn)(void*), void* arg);

}  // namespace hull::linux_
