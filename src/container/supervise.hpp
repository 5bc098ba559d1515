// Waiting on a container process from the foreground (`run`, `exec`): signals the caller gets
// are forwarded to it, its pty is relayed to our stdio, and its exit status becomes ours.
#pragma once

#include <signal.h>
#include <sys/types.h>

namespace hull::container {

// Blocks the forwarded signals for as long as it lives, so none is lost or kills us before
// the process exists. Children inherit the mask: they call restore_in_child() first.
class ForwardedSignals {
 public:
  ForwardedSignals();
  ~ForwardedSignals();
  ForwardedSignals(const ForwardedSignals&) = delete;
  ForwardedSignals& operator=(const ForwardedSignals&) = delete;
  void restore_in_child() const;

 private:
  sigset_t old_;
};

// Waits for pid (our child) while forwarding signals and relaying the terminal (master >= 0).
// Returns its exit code, 128+N when signal N killed it.
int supervise(pid_t pid, int pidfd, int master);

}  // namespace hull::container
