#include "process/terminal.hpp"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "hull/error.hpp"
#include "linux/kernel.hpp"
#include "linux/sys.hpp"

namespace hull::process {

Pty open_pty(const std::optional<spec::Box>& size) {
  linux_::Kernel& k = linux_::kernel();
  Pty p;
  p.master.reset(k.openat(AT_FDCWD, "/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0));
  if (!p.master) throw Error::sys("opening /dev/ptmx");
  // unlockpt(3) and ptsname_r(3) are these two ioctls.
  int unlock = 0;
  if (k.ioctl(p.master.get(), TIOCSPTLCK, &unlock) < 0)
    throw Error::sys("unlocking the pty from /dev/ptmx (unlockpt)");
  unsigned number = 0;
  if (k.ioctl(p.master.get(), TIOCGPTN, &number) < 0)
    throw Error::sys("naming the pty slave of /dev/ptmx (ptsname)");
  p.slave_path = "/dev/pts/" + std::to_string(number);
  p.slave.reset(k.openat(AT_FDCWD, p.slave_path.c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC, 0));
  if (!p.slave) throw Error::sys("opening " + p.slave_path);
  if (size) {
    struct winsize ws = {};
    ws.ws_row = static_cast<unsigned short>(size->height);
    ws.ws_col = static_cast<unsigned short>(size->width);
    if (k.ioctl(p.master.get(), TIOCSWINSZ, &ws) < 0) {
      throw Error::sys("setting the terminal's size (process.consoleSize)");
    }
  }
  return p;
}

void attach_to_terminal(int slave_fd) {
  linux_::Kernel& k = linux_::kernel();
  if (k.setsid() < 0) throw Error::sys("starting a session for the terminal (setsid)");
  if (k.ioctl(slave_fd, TIOCSCTTY, nullptr) < 0) {
    throw Error::sys("setting the controlling terminal");
  }
  for (int fd = 0; fd < 3; ++fd) {
    with_context("making " + std::to_string(fd) + " the terminal",
                 [&] { linux_::sys::dup2(slave_fd, fd); });
  }
}

linux_::Fd connect_unix(const std::string& path, const std::string& role) {
  linux_::Fd s(linux_::kernel().socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s) throw Error::sys(role + ": socket");
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    throw Error(role + " " + path + ": path longer than " +
                std::to_string(sizeof(addr.sun_path) - 1) + " bytes");
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (linux_::kernel().connect(s.get(), reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) <
      0) {
    throw Error::sys("connecting to " + role + " " + path);
  }
  return s;
}

ConsoleChannel open_console_channel(const std::string& console_socket) {
  ConsoleChannel c;
  if (!console_socket.empty()) {
    c.to_container = connect_unix(console_socket, "console socket");
    return c;
  }
  int sv[2];
  if (linux_::kernel().socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
    throw Error::sys("socketpair for the terminal");
  }
  c.to_container.reset(sv[0]);
  c.peer.reset(sv[1]);
  return c;
}

void send_fd(int sock, int fd, const std::string& name) {
  struct msghdr msg = {};
  char control[CMSG_SPACE(sizeof(int))] = {};
  struct iovec iov = {const_cast<char*>(name.data()), name.size()};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  if (linux_::kernel().sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) {
    throw Error::sys("sending an fd over a unix socket");
  }
}

linux_::Fd receive_fd(int sock) {
  struct msghdr msg = {};
  char control[CMSG_SPACE(sizeof(int))] = {};
  char buf[256];
  struct iovec iov = {buf, sizeof(buf)};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof(control);
  if (linux_::kernel().recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) < 0) {
    throw Error::sys("receiving the pty master");
  }
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_type != SCM_RIGHTS) throw Error("no pty master received");
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
  return linux_::Fd(fd);
}

}  // namespace hull::process
