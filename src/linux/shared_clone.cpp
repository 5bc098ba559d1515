#include "linux/shared_clone.hpp"

#include <linux/sched.h>
#include <sys/mman.h>

#include <cerrno>

#include "hull/error.hpp"
#include "linux/kernel.hpp"

// gcc says __SANITIZE_ADDRESS__, clang (before 17) only __has_feature.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HULL_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HULL_ASAN 1
#endif
#if defined(__x86_64__) && !defined(HULL_ASAN)
#define HULL_SHARED_CLONE 1
#endif

namespace hull::linux_ {

#ifdef HULL_SHARED_CLONE
// long hull_clone3_on_stack(clone_args* args, size_t size, int (*fn)(void*), void* arg)
// The parent returns clone3's raw result (a pid, or -errno). The child starts on args->stack with
// every register but rax, rcx and r11 as the parent had them: it calls fn(arg) there and exits with
// its result, so nothing ever returns into the parent's frames.
asm(R"(
  .text
  .p2align 4
  .globl hull_clone3_on_stack
  .hidden hull_clone3_on_stack
  .type hull_clone3_on_stack, @function
hull_clone3_on_stack:
  .cfi_startproc
  mov %rdx, %r8
  mov %rcx, %r9
  mov $435, %eax
  syscall
  test %rax, %rax
  jz 1f
  ret
1:
  .cfi_undefined rip
  xor %ebp, %ebp
  mov %r9, %rdi
  call *%r8
  mov %eax, %edi
  mov $60, %eax
  syscall
  hlt
  .cfi_endproc
  .size hull_clone3_on_stack, .-hull_clone3_on_stack
)");
extern "C" long hull_clone3_on_stack(clone_args* args, size_t size, int (*fn)(void*), void* arg);
#endif

long host_clone3_on_stack(clone_args* args, size_t size, int (*fn)(void*), void* arg) {
#ifdef HULL_SHARED_CLONE
  // The raw syscall's result: -errno on failure.
  long r = hull_clone3_on_stack(args, size, fn, arg);
  if (r < 0) {
    errno = static_cast<int>(-r);
    return -1;
  }
  return r;
#else
  (void)args, (void)size, (void)fn, (void)arg;
  errno = ENOSYS;
  return -1;
#endif
}

namespace {

// The child's stack: 1 MiB reserved, a guard page below it, the top 32 KiB populated in one
// call (a first touch of each page would be a fault of its own).
class ChildStack {
 public:
  static constexpr size_t kSize = 1 << 20;
  static constexpr size_t kGuard = 4096;
  static constexpr size_t kWarm = 32 << 10;

  ChildStack() {
    void* p = ::mmap(nullptr, kSize + kGuard, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (p == MAP_FAILED) throw Error::sys("mmap of a child's stack");
    base_ = static_cast<char*>(p);
    if (::mprotect(base_, kGuard, PROT_NONE) < 0) {
      int err = errno;
      ::munmap(base_, kSize + kGuard);
      throw Error::sys("mprotect of a child's stack guard", err);
    }
    // Best effort: without MADV_POPULATE_WRITE (before 5.14) the pages fault in one by one.
    (void)::madvise(top() - kWarm, kWarm, MADV_POPULATE_WRITE);
  }
  ChildStack(const ChildStack&) = delete;
  ChildStack& operator=(const ChildStack&) = delete;
  ~ChildStack() { ::munmap(base_, kSize + kGuard); }

  char* bottom() const { return base_ + kGuard; }
  char* top() const { return base_ + kGuard + kSize; }

 private:
  char* base_ = nullptr;
};

}  // namespace

bool shared_clone_supported() noexcept {
#ifdef HULL_SHARED_CLONE
  return !clone3_missing();
#else
  return false;
#endif
}

CloneResult clone_sharing_memory(const CloneArgs& args, int (*fn)(void*), void* arg) {
  CloneResult r;
  if (!shared_clone_supported()) return r;
  ChildStack stack;
  CloneArgs plain = args;
  plain.want_pidfd = false;
  struct clone_args ca;
  fill_clone_args(plain, ca, nullptr);
  ca.flags |= CLONE_VM | CLONE_VFORK;
  ca.stack = reinterpret_cast<uint64_t>(stack.bottom());
  ca.stack_size = ChildStack::kSize;
  long pid = kernel().clone3_on_stack(&ca, sizeof(ca), fn, arg);
  if (pid < 0 && errno == ENOSYS) {
    note_clone3_missing();
    return r;
  }
  if (pid <= 0) throw Error::sys("clone3 (a child sharing our memory)");
  // Back here only once the child has exited: its stack can go.
  r.pid = static_cast<pid_t>(pid);
  r.in_cgroup = args.cgroup_fd >= 0;
  return r;
}

}  // namespace hull::linux_
