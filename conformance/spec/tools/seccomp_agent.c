/* A minimal seccomp agent for the SCMP_ACT_NOTIFY tests: listens on a unix socket, takes one
 * connection from the runtime, saves the state JSON that came with the listener fd, then
 * answers every notified syscall with -ERRNO and logs its number.
 *   seccomp_agent SOCKET OUT_PREFIX ERRNO
 * writes OUT_PREFIX.state (the JSON), OUT_PREFIX.fds (how many fds came), OUT_PREFIX.calls. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what) {
  perror(what);
  exit(1);
}

static FILE *open_out(const char *prefix, const char *suffix) {
  char path[4096];
  snprintf(path, sizeof(path), "%s.%s", prefix, suffix);
  FILE *f = fopen(path, "w");
  if (!f) die(path);
  return f;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s SOCKET OUT_PREFIX ERRNO\n", argv[0]);
    return 2;
  }
  int answer = atoi(argv[3]);
  int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  strncpy(addr.sun_path, argv[1], sizeof(addr.sun_path) - 1);
  unlink(argv[1]);
  if (bind(srv, (struct sockaddr *)&addr, sizeof(addr)) < 0) die("bind");
  if (listen(srv, 1) < 0) die("listen");
  int conn = accept4(srv, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0) die("accept");

  static char buf[65536];
  char control[CMSG_SPACE(4 * sizeof(int))];
  struct iovec iov = {buf, sizeof(buf) - 1};
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
                       .msg_controllen = sizeof(control)};
  ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  if (n < 0) die("recvmsg");
  buf[n] = 0;
  int nfds = 0, notify_fd = -1;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      nfds += (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
      memcpy(&notify_fd, CMSG_DATA(c), sizeof(int));
    }
  }
  FILE *state = open_out(argv[2], "state");
  fputs(buf, state);
  fclose(state);
  FILE *fds = open_out(argv[2], "fds");
  fprintf(fds, "%d\n", nfds);
  fclose(fds);
  if (notify_fd < 0) return 1;

  struct seccomp_notif_sizes sizes;
  if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0) die("notif sizes");
  struct seccomp_notif *req = calloc(1, sizes.seccomp_notif);
  struct seccomp_notif_resp *resp = calloc(1, sizes.seccomp_notif_resp);
  FILE *calls = open_out(argv[2], "calls");
  for (;;) {
    memset(req, 0, sizes.seccomp_notif);
    if (ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
      if (errno == EINTR) continue;
      break; /* ENOENT: every process of the filter is gone */
    }
    fprintf(calls, "%d\n", req->data.nr);
    fflush(calls);
    memset(resp, 0, sizes.seccomp_notif_resp);
    resp->id = req->id;
    resp->error = -answer;
    ioctl(notify_fd, SECCOMP_IOCTL_NOTIF_SEND, resp);
  }
  fclose(calls);
  return 0;
}
