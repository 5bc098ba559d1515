#include "container/supervise.hpp"

#include <poll.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "linux/sys.hpp"
#include "linux/syscalls.hpp"

namespace hull::container {
namespace {

constexpr int kForwarded[] = {SIGHUP,  SIGINT,   SIGQUIT, SIGTERM, SIGUSR1,
                              SIGUSR2, SIGWINCH, SIGCONT, SIGTSTP};

// Puts the caller's terminal in raw mode for the relay and restores it on the way out.
class RawTerminal {
 public:
  RawTerminal() {
    if (!::isatty(0) || ::tcgetattr(0, &saved_) < 0) return;
    struct termios raw = saved_;
    cfmakeraw(&raw);
    active_ = ::tcsetattr(0, TCSANOW, &raw) == 0;
  }
  ~RawTerminal() {
    if (active_) ::tcsetattr(0, TCSANOW, &saved_);
  }

 private:
  struct termios saved_ {};
  bool active_ = false;
};

void copy_winsize(int master) {
  struct winsize ws;
  // Best effort: a size that cannot be copied leaves the pty at its own.
  if (linux_::kernel().ioctl(0, TIOCGWINSZ, &ws) == 0) {
    linux_::kernel().ioctl(master, TIOCSWINSZ, &ws);
  }
}

bool pump(int from, int to) {
  char buf[16384];
  ssize_t n = linux_::kernel().read(from, buf, sizeof(buf));
  if (n <= 0) return false;
  for (ssize_t off = 0; off < n;) {
    ssize_t w = linux_::kernel().write(to, buf + off, static_cast<size_t>(n - off));
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    off += w;
  }
  return true;
}

int exit_code(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 255;
}

}  // namespace

ForwardedSignals::ForwardedSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kForwarded) sigaddset(&set, s);
  sigprocmask(SIG_BLOCK, &set, &old_);
}

ForwardedSignals::~ForwardedSignals() {
  sigprocmask(SIG_SETMASK, &old_, nullptr);
}

void ForwardedSignals::restore_in_child() const {
  sigprocmask(SIG_SETMASK, &old_, nullptr);
}

int supervise(pid_t pid, int pidfd, int master) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : kForwarded) sigaddset(&set, s);
  linux_::Fd sfd(::signalfd(-1, &set, SFD_CLOEXEC));
  if (!sfd) throw Error::sys("signalfd");
  RawTerminal raw;
  if (master >= 0) copy_winsize(master);
  bool stdin_open = master >= 0;
  bool master_open = master >= 0;
  for (;;) {
    struct pollfd fds[4] = {{sfd.get(), POLLIN, 0},
                            {pidfd, POLLIN, 0},
                            {stdin_open ? 0 : -1, POLLIN, 0},
                            {master_open ? master : -1, POLLIN, 0}};
    with_context("relaying signals and stdio to the container's process",
                 [&] { linux_::sys::poll(fds, 4, -1, "the process and its stdio"); });
    if (fds[0].revents & POLLIN) {
      struct signalfd_siginfo si;
      if (linux_::kernel().read(sfd.get(), &si, sizeof(si)) == sizeof(si)) {
        int sig = static_cast<int>(si.ssi_signo);
        if (sig == SIGWINCH && master >= 0) {
          copy_winsize(master);
        } else {
          linux_::pidfd_send_signal(pidfd, sig);
        }
      }
    }
    if (fds[2].revents & (POLLIN | POLLHUP)) stdin_open = pump(0, master);
    if (fds[3].revents & (POLLIN | POLLHUP)) master_open = pump(master, 1);
    if (fds[1].revents & POLLIN) {
      // Drain what the process wrote before it exited.
      while (master_open) {
        struct pollfd p = {master, POLLIN, 0};
        if (linux_::kernel().poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN) || !pump(master, 1)) {
          break;
        }
      }
      int status = 0;
      with_context("waiting for the container's process",
                   [&] { linux_::sys::waitpid(pid, &status, 0); });
      return exit_code(status);
    }
  }
}

}  // namespace hull::container
