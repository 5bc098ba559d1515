// seccomp_dump PID: prints the seccomp filters of a process as the kernel holds them, read
// back with ptrace(PTRACE_SECCOMP_GET_FILTER) (needs CAP_SYS_ADMIN): a line "filters N",
// then per filter (newest first) "filter I: M instructions" and one "code jt jf k" line per
// instruction, in hex. The process is attached, read and detached; it goes on unharmed.
#include <errno.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: seccomp_dump PID\n");
    return 2;
  }
  pid_t pid = (pid_t)atoi(argv[1]);
  if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) {
    perror("seccomp_dump: attaching");
    return 1;
  }
  int status;
  if (waitpid(pid, &status, __WALL) < 0) {
    perror("seccomp_dump: waitpid");
    return 1;
  }
  static struct sock_filter insns[BPF_MAXINSNS];
  int rc = 0;
  long index;
  for (index = 0;; index++) {
    long n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void*)index, NULL);
    if (n < 0 && errno == ENOENT) break;
    if (n < 0 || n > BPF_MAXINSNS ||
        ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void*)index, insns) != n) {
      perror("seccomp_dump: PTRACE_SECCOMP_GET_FILTER");
      rc = 1;
      break;
    }
    printf("filter %ld: %ld instructions\n", index, n);
    for (long i = 0; i < n; i++) {
      printf("%04x %02x %02x %08x\n", insns[i].code, insns[i].jt, insns[i].jf, insns[i].k);
    }
  }
  printf("filters %ld\n", index);
  ptrace(PTRACE_DETACH, pid, 0, 0);
  return rc;
}
