// Signals: their names, and the state a new program starts with.
#pragma once

#include <string>
#include <string_view>

namespace hull::linux_ {

// The one table of signal names: the C library's (sigabbrev_np: HUP ... SYS) plus IO, the name
// runc's kill knows 29 by, and the real-time ones counted from either end.
// Takes a name with or without SIG, in any case (TERM, SIGTERM, sigterm), RTMIN, RTMIN+n,
// RTMAX, RTMAX-n (n keeps it inside [SIGRTMIN, SIGRTMAX]). Numbers are the caller's (each
// has its own range rules). Throws hull::Error saying why: "not a signal name or number",
// "outside the real-time range (RTMIN+0 to 30)".
int signal_number(std::string_view name);

// 15 -> "SIGTERM", SIGRTMIN+2 -> "SIGRTMIN+2", SIGRTMAX-1 -> "SIGRTMAX-1" (the nearer end, as
// kill -l), and the decimal number for one without a name (0, or past SIGRTMAX).
std::string signal_name(int sig);

// Every signal back to its default action and an empty signal mask, so a container's program
// starts the same however the runtime was started: a caller that ignored SIGPIPE or SIGHUP
// (nohup, a daemon, a background job) must not hand that on. Handlers reset at execve by
// themselves; ignored signals and the mask would not. Throws hull::Error.
void reset_signals();

}  // namespace hull::linux_
