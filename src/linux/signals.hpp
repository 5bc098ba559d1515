// Signal state a new program starts with.
#pragma once

namespace hull::linux_ {

// Every signal back to its default action and an empty signal mask, so a container's program
// starts the same however the runtime was started: a caller that ignored SIGPIPE or SIGHUP
// (nohup, a daemon, a background job) must not hand that on. Handlers reset at execve by
// themselves; ignored signals and the mask would not. Throws hull::Error.
void reset_signals();

}  // namespace hull::linux_
