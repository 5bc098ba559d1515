/* recvtty: the receiving end of the OCI --console-socket protocol for tests. It listens on a
 * unix socket, takes the pty master that the runtime sends with SCM_RIGHTS, then copies the
 * container's terminal output to stdout and its own stdin (and --input TEXT) to the terminal,
 * until the container side of the pty is closed.
 * The socket appears under its final name only once it is listening, so a caller may start
 * the runtime as soon as the path exists. */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

static int fail(const char* what) {
  fprintf(stderr, "recvtty: %s: %s\n", what, strerror(errno));
  return 1;
}

static int write_all(int fd, const char* buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += w;
    n -= (size_t)w;
  }
  return 0;
}

static int receive_fd(int conn, char* name, size_t name_size) {
  char control[CMSG_SPACE(sizeof(int))];
  struct iovec iov = {.iov_base = name, .iov_len = name_size - 1};
  struct msghdr msg = {
      .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control};
  ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
  if (n < 0) return -1;
  name[n] = 0;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
      int fd;
      memcpy(&fd, CMSG_DATA(c), sizeof fd);
      return fd;
    }
  }
  errno = EBADMSG;
  return -1;
}

int main(int argc, char** argv) {
  const char* input = NULL;
  const char* path = NULL;
  const char* name_file = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--input") && i + 1 < argc)
      input = argv[++i];
    else if (!strcmp(argv[i], "--name-file") && i + 1 < argc)
      name_file = argv[++i];
    else if (!path)
      path = argv[i];
  }
  if (!path) {
    fputs("usage: recvtty [--input TEXT] [--name-file FILE] SOCKET_PATH\n", stderr);
    return 2;
  }

  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  char tmp[sizeof addr.sun_path];
  if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
    fprintf(stderr, "recvtty: socket path too long: %s\n", path);
    return 2;
  }
  strcpy(addr.sun_path, tmp);
  int lsock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (lsock < 0) return fail("socket");
  unlink(tmp);
  if (bind(lsock, (struct sockaddr*)&addr, sizeof addr) < 0) return fail(tmp);
  if (listen(lsock, 1) < 0) return fail("listen");
  if (rename(tmp, path) < 0) return fail(path);

  int conn = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
  if (conn < 0) return fail("accept");
  close(lsock);
  unlink(path);
  char name[4096];
  int master = receive_fd(conn, name, sizeof name);
  if (master < 0) return fail("receiving the pty master");
  close(conn);
  if (name_file) {
    FILE* f = fopen(name_file, "w");
    if (f) {
      fprintf(f, "%s\n", name);
      fclose(f);
    }
  }
  if (!isatty(master)) {
    fprintf(stderr, "recvtty: the received fd is not a terminal\n");
    return 1;
  }
  if (input && write_all(master, input, strlen(input)) < 0) return fail("writing input");

  struct pollfd fds[2] = {{.fd = master, .events = POLLIN}, {.fd = STDIN_FILENO, .events = POLLIN}};
  int nfds = 2;
  char buf[4096];
  for (;;) {
    if (poll(fds, (nfds_t)nfds, -1) < 0) {
      if (errno == EINTR) continue;
      return fail("poll");
    }
    if (fds[0].revents) {
      ssize_t n = read(master, buf, sizeof buf);
      /* EIO: every slave fd is closed, the container is gone */
      if (n <= 0) break;
      if (write_all(STDOUT_FILENO, buf, (size_t)n) < 0) return fail("writing stdout");
    }
    if (nfds == 2 && fds[1].revents) {
      ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
      if (n <= 0)
        nfds = 1;
      else if (write_all(master, buf, (size_t)n) < 0)
        return fail("writing to the terminal");
    }
  }
  return 0;
}
