#include "linux/interruptible.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "linux/kernel.hpp"
#include "linux/signals.hpp"

namespace hull::linux_ {
namespace {

constexpr int kStopSignals[] = {SIGTERM, SIGINT, SIGHUP};

// The stop signals stay blocked while the wait lasts, so they queue for the signalfd whether
// or not the caller blocked them; the caller's mask comes back on every way out.
class BlockedStopSignals {
 public:
  BlockedStopSignals() {
    sigemptyset(&set_);
    for (int s : kStopSignals) sigaddset(&set_, s);
    sigprocmask(SIG_BLOCK, &set_, &old_);
  }
  ~BlockedStopSignals() { sigprocmask(SIG_SETMASK, &old_, nullptr); }
  const sigset_t& set() const { return set_; }

 private:
  sigset_t set_, old_;
};

}  // namespace

short wait_interruptible(int fd, short events, const std::string& what) {
  BlockedStopSignals blocked;
  Fd sfd(::signalfd(-1, &blocked.set(), SFD_CLOEXEC | SFD_NONBLOCK));
  if (!sfd) throw Error::sys("signalfd (waiting for " + what + ")");
  for (;;) {
    struct pollfd p[2] = {{fd, events, 0}, {sfd.get(), POLLIN, 0}};
    if (kernel().poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      throw Error::sys("waiting for " + what);
    }
    struct signalfd_siginfo si;
    if ((p[1].revents & POLLIN) && kernel().read(sfd.get(), &si, sizeof(si)) == sizeof(si)) {
      throw Error("interrupted by " + signal_name(static_cast<int>(si.ssi_signo)) +
                  " while waiting for " + what);
    }
    if (p[0].revents) return p[0].revents;
  }
}

}  // namespace hull::linux_
