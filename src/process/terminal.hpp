// Pseudo-terminals for process.terminal and the console-socket protocol (the master fd sent
// with SCM_RIGHTS over a unix socket, as runc and crun do).
#pragma once

#include <string>

#include "linux/fd.hpp"
#include "spec/model.hpp"

namespace hull::process {

struct Pty {
  linux_::Fd master;
  linux_::Fd slave;
  std::string slave_path;
};

// Opens a new pty from /dev/ptmx of the current root.
Pty open_pty(const std::optional<spec::Box>& size);
// Makes the slave the process's stdio and controlling terminal (setsid first).
void attach_to_terminal(int slave_fd);

// role names the socket in errors ("console socket", "seccomp agent").
linux_::Fd connect_unix(const std::string& path, const std::string& role);

// Where the container's pty master goes: the caller's --console-socket when given, else one
// end of a socket pair whose other end (peer) the runtime keeps to relay the terminal itself.
struct ConsoleChannel {
  linux_::Fd to_container;
  linux_::Fd peer;  // invalid with a console socket
};
ConsoleChannel open_console_channel(const std::string& console_socket);
void send_fd(int sock, int fd, const std::string& name);
linux_::Fd receive_fd(int sock);

}  // namespace hull::process
