// What every layout shares: signalling the processes one by one.
#include "cgroups/manager.hpp"

#include <signal.h>

#include <cerrno>

#include "hull/error.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {

void Manager::signal_all(int sig) {
  for (pid_t pid : pids()) {
    // A process that exited since the list was read (ESRCH) has nothing left to signal.
    if (linux_::kernel().kill(pid, sig) < 0 && errno != ESRCH) {
      throw Error::sys("signalling " + std::to_string(pid) + " in cgroup " + path());
    }
  }
}

}  // namespace hull::cgroups
