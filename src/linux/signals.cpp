#include "linux/signals.hpp"

#include <signal.h>

#include <cerrno>

#include "hull/error.hpp"

namespace hull::linux_ {

void reset_signals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    // glibc keeps two real-time signals for itself and answers EINVAL for them.
    if (::sigaction(sig, &dfl, nullptr) < 0 && errno != EINVAL) {
      throw Error::sys("resetting the action of signal " + std::to_string(sig));
    }
  }
  sigset_t none;
  sigemptyset(&none);
  if (::sigprocmask(SIG_SETMASK, &none, nullptr) < 0) throw Error::sys("clearing the signal mask");
}

}  // namespace hull::linux_
