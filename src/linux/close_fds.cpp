#include "linux/close_fds.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux/kernel.hpp"

namespace hull::linux_ {
namespace {

// One pass over /proc/self/fd with getdents64; returns how many fds it closed (-1 when the
// directory cannot be read). Closing while reading may skip entries, hence the caller loops.
int close_pass(int first, const int* keep = nullptr, size_t nkeep = 0) noexcept {
  int dir = kernel().openat(AT_FDCWD, "/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir < 0) return -1;
  alignas(8) char buf[4096];
  int closed = 0;
  for (;;) {
    long n = ::syscall(SYS_getdents64, dir, buf, sizeof(buf));
    if (n <= 0) break;
    for (long off = 0; off < n;) {
      auto* d = reinterpret_cast<struct dirent64*>(buf + off);
      off += d->d_reclen;
      int fd = 0;
      const char* p = d->d_name;
      if (*p < '0' || *p > '9') continue;
      for (; *p >= '0' && *p <= '9'; ++p) fd = fd * 10 + (*p - '0');
      bool kept = false;
      for (size_t i = 0; i < nkeep; ++i) kept = kept || keep[i] == fd;
      if (fd >= first && fd != dir && !kept && ::close(fd) == 0) ++closed;
    }
  }
  ::close(dir);
  return closed;
}

}  // namespace

void close_fds_from(int first) noexcept {
  if (kernel().close_range(static_cast<unsigned>(first), ~0U, 0) == 0) return;
  // Kernels before 5.9: one close per descriptor found in /proc/self/fd.
  while (close_pass(first) > 0) {
  }
}

void close_fds_except(int first, const int* keep, size_t n) noexcept {
  int sorted[kMaxKept];
  size_t m = 0;
  for (size_t i = 0; i < n && m < kMaxKept; ++i) {
    if (keep[i] < first) continue;
    size_t j = m++;
    for (; j > 0 && sorted[j - 1] > keep[i]; --j) sorted[j] = sorted[j - 1];
    sorted[j] = keep[i];
  }
  unsigned from = static_cast<unsigned>(first);
  bool ok = true;
  for (size_t i = 0; i < m && ok; ++i) {
    auto k = static_cast<unsigned>(sorted[i]);
    if (k > from) ok = kernel().close_range(from, k - 1, 0) == 0;
    if (k >= from) from = k + 1;
  }
  if (ok && kernel().close_range(from, ~0U, 0) == 0) return;
  while (close_pass(first, sorted, m) > 0) {
  }
}

}  // namespace hull::linux_
