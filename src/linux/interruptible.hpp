// Waits that SIGTERM, SIGINT and SIGHUP end with a hull::Error instead of the default action.
// Dying half way through create would leave a state dir, a cgroup and a stopped init behind,
// and `run` blocks those signals (to forward them later), so without this a wait on an init
// that never answers (a frozen cgroup, a hook that hangs) could not be stopped at all. The
// error unwinds through the RAII owners, which undo what was made.
#pragma once

#include <string>

namespace hull::linux_ {

// Blocks until fd polls with one of events (POLLHUP/POLLERR count too) and returns revents.
// Throws "interrupted by SIGTERM while waiting for <what>" when one of the signals comes
// first; the signal is consumed. The caller's signal mask is unchanged on return.
short wait_interruptible(int fd, short events, const std::string& what);

}  // namespace hull::linux_
