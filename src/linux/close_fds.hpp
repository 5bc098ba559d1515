// Closing every inherited fd in a freshly forked child, before it execs something that must
// see only its stdio (hooks, ps).
#pragma once

namespace hull::linux_ {

// Closes every fd from `first` upwards. close_range(2) when the kernel and any seccomp filter
// allow it; otherwise (ENOSYS, EPERM) it walks /proc/self/fd. Allocates nothing and never
// throws, so it is safe between fork and exec.
void close_fds_from(int first) noexcept;

}  // namespace hull::linux_
