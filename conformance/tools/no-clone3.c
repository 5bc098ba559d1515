// no-clone3 PROGRAM [ARGS...]: runs PROGRAM under a seccomp filter that answers clone3 with
// ENOSYS, as docker's default profile does, and allows everything else. For testing that a
// runtime running inside such a container still creates containers (clone(2) fallback).
//   no-clone3 --check   loads the filter, calls clone3 and prints the errno it got ("ENOSYS"
//                       when the filter works), so a test can tell the filter is in force.
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: no-clone3 PROGRAM [ARGS...]\n");
    return 2;
  }
  scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
  if (!ctx) {
    fprintf(stderr, "no-clone3: seccomp_init failed\n");
    return 1;
  }
  // Loaded with CAP_SYS_ADMIN instead of no_new_privs, which would reach the containers.
  int rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
  if (rc == 0) rc = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  if (rc == 0) rc = seccomp_load(ctx);
  seccomp_release(ctx);
  if (rc != 0) {
    fprintf(stderr, "no-clone3: loading the filter: %s\n", strerror(-rc));
    return 1;
  }
  if (!strcmp(argv[1], "--check")) {
    // size 0 is invalid: without the filter the kernel answers EINVAL and nothing is cloned
    long r = syscall(SYS_clone3, NULL, 0);
    printf("%s\n", r < 0 && errno == ENOSYS ? "ENOSYS" : strerror(errno));
    return 0;
  }
  execvp(argv[1], argv + 1);
  fprintf(stderr, "no-clone3: exec %s: %s\n", argv[1], strerror(errno));
  return 127;
}
