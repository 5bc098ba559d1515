// What every layout shares: signalling the processes one by one.
#include "cgroups/manager.hpp"

#include <signal.h>

namespace hull::cgroups {

void Manager::signal_all(int sig) {
  for (pid_t pid : pids()) ::kill(pid, sig);
}

}  // namespace hull::cgroups
