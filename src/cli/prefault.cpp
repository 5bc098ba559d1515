// A fresh page costs a trap when first touched; on the VMs hull is measured on that trap costs
// ~40 us, while the kernel fills the same pages in one madvise(MADV_POPULATE_WRITE) for ~1 us
// each. Every hull command builds its CLI11 tree and reads JSON on the heap (create's peaks
// at ~240 KB), so the heap it will use anyway is made present in one call before any C++
// static initialiser allocates.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

namespace {

// Below malloc's mmap threshold (128 KiB), so it comes from the heap the rest will use.
constexpr size_t kHeapBytes = 120 << 10;

__attribute__((constructor(101))) void prefault_heap() {
  // Freed, the block goes back to the top of the heap and stays mapped (the trim threshold is
  // above it), so the allocations that follow reuse the pages populated here.
  ::mallopt(M_TRIM_THRESHOLD, 512 << 10);
  void* block = std::malloc(kHeapBytes);
  if (block == nullptr) return;
  uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  auto a = reinterpret_cast<uintptr_t>(block) & ~(page - 1);
  uintptr_t b = (reinterpret_cast<uintptr_t>(block) + kHeapBytes) & ~(page - 1);
  // Older kernels answer EINVAL: the pages then come one trap at a time, as before.
  ::madvise(reinterpret_cast<void*>(a), b - a, MADV_POPULATE_WRITE);
  std::free(block);
}

}  // namespace
