/* The protected re-execution of create, run and exec (linux/self_exe.hpp), taken before the C
 * library starts, where the read-only view of the binary already exists.
 *
 * Every hull process pays glibc's static start (~25 page faults, ~0.6 ms on the VMs hull is
 * measured on) and the first image of create, run and exec pays it only to re-execute. The
 * linker makes hull_entry the entry point (src/cli/meson.build): it hands the initial stack to
 * hull_prestart, then goes on to glibc's _start as if nothing had happened. hull_prestart
 * re-executes from the view only when every check protect_self_exe would make passes: a word
 * of argv names one of those commands, this is not already the re-execution, the binary is
 * neither on a read-only mount nor a sealed memfd, and /run/hull/.exe/<dev>-<ino> is a
 * read-only mount of this very file. Anything else (no view yet, an error, an odd environment)
 * returns, and the C++ path, which also makes the view, does the work as before.
 *
 * Nothing of the C library may run here: no TLS, no relocated ifuncs (memcpy, strlen), no
 * stack protector yet. Only raw system calls and plain loops (this file's own build flags keep
 * the compiler from turning a loop into a call). */
#include <fcntl.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#ifndef F_GET_SEALS
#define F_GET_SEALS 1034
#endif
#ifndef F_SEAL_SEAL
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#define F_SEAL_WRITE 0x0008
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#define HULL_ST_RDONLY 0x0001 /* statfs's f_flags */
#define HULL_AT_SECURE 23     /* auxv: set-id or file capabilities at this exec */

void hull_prestart(long* sp);

/* The entry point: the kernel's initial stack is argc, argv..., 0, envp..., 0, auxv. _start
 * wants %rsp and %rdx (the dynamic linker's exit hook, 0 here) exactly as the kernel left them. */
__asm__(
    ".text\n"
    ".globl hull_entry\n"
    ".type hull_entry,@function\n"
    "hull_entry:\n"
    "  mov %rsp, %rbx\n"
    "  mov %rdx, %r12\n"
    "  mov %rsp, %rdi\n"
    "  and $-16, %rsp\n"
    "  call hull_prestart\n"
    "  mov %rbx, %rsp\n"
    "  mov %r12, %rdx\n"
    "  xor %ebx, %ebx\n"
    "  xor %r12d, %r12d\n"
    "  jmp _start\n"
    ".size hull_entry, .-hull_entry\n");

static long sys6(long n, long a, long b, long c, long d, long e) {
  long ret;
  register long r10 __asm__("r10") = d;
  register long r8 __asm__("r8") = e;
  __asm__ volatile("syscall"
                   : "=a"(ret)
                   : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
                   : "rcx", "r11", "memory");
  return ret;
}

static int same(const char* a, const char* b) {
  while (*a && *a == *b) ++a, ++b;
  return *a == *b;
}

/* Whether s starts with the first n characters of prefix. */
static int starts_with(const char* s, const char* prefix, int n) {
  while (n && *s == *prefix) ++s, ++prefix, --n;
  return n == 0;
}

/* Decimal digits of v at out; returns the end. */
static char* put_number(char* out, unsigned long v) {
  char digits[24];
  int n = 0;
  do digits[n++] = (char)('0' + v % 10), v /= 10;
  while (v);
  while (n) *out++ = digits[--n];
  return out;
}

/* self_exe.cpp's kMarker and its value; the marker's name is what ends a re-execution. */
static const char kMarker[] = "_HULL_SELF_PROTECTED=1";
#define MARKER_NAME_LEN ((int)sizeof(kMarker) - 2) /* up to the '=', without "1" and NUL */
static const char kViewDir[] = "/run/hull/.exe/";  /* self_exe.hpp's kSelfViewDir */

static int names_cloning_command(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (same(argv[i], "create") || same(argv[i], "run") || same(argv[i], "exec")) return 1;
  }
  return 0;
}

/* The checks of self_exe.cpp's unwritable(): a read-only mount, or every write sealed off. */
static int unwritable(int fd) {
  struct statfs sf;
  if (sys6(SYS_fstatfs, fd, (long)&sf, 0, 0, 0) == 0 && (sf.f_flags & HULL_ST_RDONLY)) return 1;
  long seals = sys6(SYS_fcntl, fd, F_GET_SEALS, 0, 0, 0);
  long all = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;
  return seals >= 0 && (seals & all) == all;
}

/* The view of this binary when it exists and is one (self_exe.cpp's is_view_of); -1 else. */
static int open_view(int self) {
  struct stat st, vst;
  if (sys6(SYS_fstat, self, (long)&st, 0, 0, 0) != 0) return -1;
  char path[sizeof(kViewDir) + 48];
  char* p = path;
  for (const char* d = kViewDir; *d; ++d) *p++ = *d;
  p = put_number(p, (unsigned long)st.st_dev);
  *p++ = '-';
  p = put_number(p, (unsigned long)st.st_ino);
  *p = 0;
  int view = (int)sys6(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0, 0);
  if (view < 0) return -1;
  struct statfs sf;
  if (sys6(SYS_fstat, view, (long)&vst, 0, 0, 0) == 0 && vst.st_dev == st.st_dev &&
      vst.st_ino == st.st_ino && sys6(SYS_fstatfs, view, (long)&sf, 0, 0, 0) == 0 &&
      (sf.f_flags & HULL_ST_RDONLY)) {
    return view;
  }
  sys6(SYS_close, view, 0, 0, 0, 0);
  return -1;
}

void hull_prestart(long* sp) {
  int argc = (int)sp[0];
  char** argv = (char**)(sp + 1);
  char** envp = argv + argc + 1;
  if (!names_cloning_command(argc, argv)) return;
  size_t n = 0;
  for (; envp[n]; ++n) {
    if (starts_with(envp[n], kMarker, MARKER_NAME_LEN)) return; /* the re-execution itself */
  }
  /* A set-id (or file-capability) start goes straight on to run(), which refuses it by name;
   * nothing here acts with a privilege the user was not meant to get through hull. */
  for (long* aux = (long*)(envp + n + 1); aux[0] != 0; aux += 2) {
    if (aux[0] == HULL_AT_SECURE && aux[1] != 0) return;
  }
  int self = (int)sys6(SYS_openat, AT_FDCWD, (long)"/proc/self/exe", O_RDONLY | O_CLOEXEC, 0, 0);
  if (self < 0) return;
  int view = unwritable(self) ? -1 : open_view(self);
  sys6(SYS_close, self, 0, 0, 0, 0);
  if (view < 0) return;
  /* The environment with the marker added, as protect_self_exe passes it. */
  char* env[n + 2];
  for (size_t i = 0; i < n; ++i) env[i] = envp[i];
  env[n] = (char*)kMarker;
  env[n + 1] = 0;
  sys6(SYS_execveat, view, (long)"", (long)argv, (long)env, AT_EMPTY_PATH);
  sys6(SYS_close, view, 0, 0, 0, 0); /* failed: the C++ path tries again and reports */
}
