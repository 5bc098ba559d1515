// Closing every inherited fd in a freshly forked child, before it execs something that must
// see only its stdio (hooks, ps).
#pragma once

#include <cstddef>

namespace hull::linux_ {

// Closes every fd from `first` upwards. close_range(2) when the kernel and any seccomp filter
// allow it; otherwise (ENOSYS, EPERM) it walks /proc/self/fd. Allocates nothing and never
// throws, so it is safe between fork and exec.
void close_fds_from(int first) noexcept;

// The same, sparing the fds in keep (any order; negative ones are ignored). At most
// kMaxKept of them, which the array form checks when it is compiled.
inline constexpr size_t kMaxKept = 8;
void close_fds_except(int first, const int* keep, size_t n) noexcept;
template <size_t N>
void close_fds_except(int first, const int (&keep)[N]) noexcept {
  static_assert(N <= kMaxKept, "close_fds_except spares at most kMaxKept fds");
  close_fds_except(first, keep, N);
}

}  // namespace hull::linux_
