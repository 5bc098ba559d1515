// steptrace OUT BIN CMD [ARG...]: runs CMD under ptrace and single-steps every thread of every
// process while it runs the executable BIN (matched by device and inode, so a re-execution from
// a bind mount of it counts too); every other image (a container's process, a hook) is let go.
// Appends to OUT the distinct instruction addresses it saw, in hex, one per line, in the order
// they first ran. Ends when CMD
// does: hull processes CMD leaves behind (a created container's init) go on untraced.
//
// A development tool for the link order of hull's text (bench/order/make-order.sh): it needs
// what each command executes, library code included, and no sampler in a VM without a PMU sees
// all of it. Slow (one stop per instruction) but nothing in hull waits on a clock.
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

enum { kUnknown = 0, kTraced, kOther };
#define kMaxTid (1 << 22)
#define kSpan (64u << 20)  // addresses below this are recorded (a non-PIE static binary's text)

static unsigned char image_of[kMaxTid];
static unsigned char seen[kSpan / 8];
static dev_t bin_dev;
static ino_t bin_ino;

static int runs_bin(pid_t tid) {
  char path[64];
  struct stat st;
  snprintf(path, sizeof path, "/proc/%d/exe", tid);
  if (stat(path, &st) < 0) return kOther;
  return st.st_dev == bin_dev && st.st_ino == bin_ino ? kTraced : kOther;
}

static unsigned long* order;  // the addresses in the order they first ran
static size_t order_len, order_cap;

static void record(pid_t tid) {
  errno = 0;
  long rip = ptrace(PTRACE_PEEKUSER, tid, offsetof(struct user_regs_struct, rip), 0);
  if (errno != 0 || rip < 0 || (unsigned long)rip >= kSpan) return;
  unsigned char bit = (unsigned char)(1u << (rip % 8));
  if (seen[rip / 8] & bit) return;
  seen[rip / 8] |= bit;
  if (order_len == order_cap) {
    order_cap = order_cap ? order_cap * 2 : 65536;
    order = realloc(order, order_cap * sizeof *order);
    if (!order) abort();
  }
  order[order_len++] = (unsigned long)rip;
}

static void resume(pid_t tid, int sig) {
  if (image_of[tid] == kOther) {
    ptrace(PTRACE_DETACH, tid, 0, sig);
    image_of[tid] = kUnknown;  // no longer ours
  } else {
    ptrace(PTRACE_SINGLESTEP, tid, 0, sig);
  }
}

// After CMD itself has exited: lets go of every hull process it left traced (a created
// container's init, waiting for start) without killing or stopping it. Each one is stopped
// with SIGSTOP to be detached, then continued.
static void let_go(void) {
  int left = 0;
  for (pid_t tid = 1; tid < kMaxTid; ++tid) {
    if (image_of[tid] != kUnknown && syscall(SYS_tkill, tid, SIGSTOP) == 0) ++left;
  }
  while (left > 0) {
    int status;
    pid_t tid = waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (tid >= kMaxTid || image_of[tid] == kUnknown) continue;
    if (WIFSTOPPED(status)) ptrace(PTRACE_DETACH, tid, 0, 0);
    image_of[tid] = kUnknown;
    if (WIFSTOPPED(status)) syscall(SYS_tkill, tid, SIGCONT);
    --left;
  }
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: steptrace OUT BIN CMD [ARG...]\n");
    return 2;
  }
  struct stat st;
  if (stat(argv[2], &st) < 0) {
    perror(argv[2]);
    return 2;
  }
  bin_dev = st.st_dev;
  bin_ino = st.st_ino;
  pid_t child = fork();
  if (child < 0) return 2;
  if (child == 0) {
    ptrace(PTRACE_TRACEME, 0, 0, 0);
    raise(SIGSTOP);
    execvp(argv[3], argv + 3);
    _exit(127);
  }
  int status;
  if (waitpid(child, &status, 0) < 0 || !WIFSTOPPED(status)) return 2;
  ptrace(PTRACE_SETOPTIONS, child, 0,
         PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
             PTRACE_O_EXITKILL);
  image_of[child] = kUnknown;
  ptrace(PTRACE_CONT, child, 0, 0);  // to the exec of CMD, not stepping the tracer's own code
  int code = 0;
  for (;;) {
    pid_t tid = waitpid(-1, &status, __WALL);
    if (tid < 0) {
      if (errno == EINTR) continue;
      break;  // ECHILD: every traced thread is gone
    }
    if (tid >= kMaxTid) return 2;
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
      image_of[tid] = kUnknown;
      if (tid == child) {
        code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        let_go();
        break;
      }
      continue;
    }
    if (!WIFSTOPPED(status)) continue;
    int sig = WSTOPSIG(status);
    int event = status >> 16;
    if (image_of[tid] == kUnknown) image_of[tid] = runs_bin(tid);
    if (sig == SIGTRAP && event != 0) {
      if (event == PTRACE_EVENT_EXEC) image_of[tid] = runs_bin(tid);
      if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
          event == PTRACE_EVENT_CLONE) {
        unsigned long fresh = 0;
        ptrace(PTRACE_GETEVENTMSG, tid, 0, &fresh);
        if (fresh < kMaxTid && image_of[fresh] == kUnknown) image_of[fresh] = image_of[tid];
      }
      resume(tid, 0);
      continue;
    }
    if (sig == SIGTRAP) {
      if (image_of[tid] == kTraced) record(tid);
      resume(tid, 0);
      continue;
    }
    // A new thread's first stop, or a signal for the tracee: passed on (the first stop's
    // SIGSTOP is the tracer's own).
    resume(tid, sig == SIGSTOP ? 0 : sig);
  }
  FILE* out = fopen(argv[1], "a");
  if (!out) {
    perror(argv[1]);
    return 2;
  }
  for (size_t i = 0; i < order_len; ++i) fprintf(out, "%lx\n", order[i]);
  fclose(out);
  return code;
}
