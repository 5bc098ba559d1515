// Closing every inherited fd in a freshly forked child, before it execs something that must
// see only its stdio (hooks, ps).
#pragma once

#include <cstddef>

namespace hull::linux_ {

// Closes every fd from `first` upwards. close_range(2) when the kernel and any seccomp filter
// allow it; otherwise (ENOSYS, EPERM) it walks /proc/self/fd. Allocates nothing and never
// throws, so it is safe between fork and exec.
void close_fds_from(int first) noexcept;

// The same, sparing the n fds in keep (any order; negative ones are ignored, at most 8 are
// looked at).
void close_fds_except(int first, const int* keep, size_t n) noexcept;

}  // namespace hull::linux_
