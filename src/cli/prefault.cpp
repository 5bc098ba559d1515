// A fresh page costs a trap when first touched; on the VMs hull is measured on that trap costs
// ~40 us, while the kernel fills the same pages in one madvise(MADV_POPULATE_WRITE) for ~1 us
// each. Every hull command builds its CLI11 tree and reads JSON on the heap (create's peaks
// at ~240 KB), so the heap it will use anyway is made present in one call before any C++
// static initialiser allocates.
//
// The text is file-backed: a fault maps the 64 KiB around it from the page cache. The link
// puts the code the commands run between two markers (hot-text.order, src/cli/meson.build),
// and that span, ~13 such windows, is mapped in one madvise(MADV_POPULATE_READ) too.
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

// First and last in hot-text.order. Without that order (another linker) they stay side by
// side and the span between them is empty. Distinct bodies: never folded into one.
extern "C" __attribute__((noinline, used)) int hull_hot_text_begin() {
  return 1;
}
extern "C" __attribute__((noinline, used)) int hull_hot_text_end() {
  return 2;
}

namespace {

// Below malloc's mmap threshold (128 KiB), so it comes from the heap the rest will use.
constexpr size_t kHeapBytes = 120 << 10;

// The span the order put between the markers; a bigger one than the whole text would be a
// sign of something else, and is left to the faults.
void prefault_hot_text(uintptr_t page) {
  auto a = reinterpret_cast<uintptr_t>(&hull_hot_text_begin) & ~(page - 1);
  auto b = reinterpret_cast<uintptr_t>(&hull_hot_text_end);
  if (b > a && b - a < (8u << 20)) ::madvise(reinterpret_cast<void*>(a), b - a, MADV_POPULATE_READ);
}

__attribute__((constructor(101))) void prefault_heap() {
  // Freed, the block goes back to the top of the heap and stays mapped (the trim threshold is
  // above it), so the allocations that follow reuse the pages populated here.
  ::mallopt(M_TRIM_THRESHOLD, 512 << 10);
  uintptr_t page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  void* block = std::malloc(kHeapBytes);
  if (block == nullptr) return;
  auto a = reinterpret_cast<uintptr_t>(block) & ~(page - 1);
  uintptr_t b = (reinterpret_cast<uintptr_t>(block) + kHeapBytes) & ~(page - 1);
  // Older kernels answer EINVAL: the pages then come one trap at a time, as before.
  ::madvise(reinterpret_cast<void*>(a), b - a, MADV_POPULATE_WRITE);
  std::free(block);
  prefault_hot_text(page);
}

}  // namespace
