#include "container/run.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/create.hpp"
#include "container/lifecycle.hpp"
#include "container/supervise.hpp"
#include "hooks/hooks.hpp"
#include "hull/error.hpp"
#include "linux/syscalls.hpp"

namespace hull::container {

int run_container(const Globals& g, const RunOptions& o) {
  ForwardedSignals signals;

  Created c = create_container(g, o.create, true);
  state::Record r = c.record;
  c.dir->unlock();
  auto remove = [&] {
    if (o.keep) return;
    state::Store store(g.root);
    auto dir = store.open(r.id);
    destroy(r, dir);
  };
  c.sync.send(linux_::Msg::kStart);
  // The init's end closes at its execve: only then may poststart run. What fails before
  // (startContainer hooks, the execve itself) arrives as an error instead.
  try {
    c.sync.expect_closed();
  } catch (const Error&) {
    linux_::pidfd_send_signal(c.pidfd.get(), SIGKILL);
    ::waitpid(r.pid, nullptr, 0);
    remove();
    throw;
  }
  c.sync.close();
  if (c.spec.hooks && !c.spec.hooks->poststart.empty()) {
    hooks::run_stage(c.spec.hooks->poststart, "poststart", hook_state(r, "running"), false);
  }
  if (o.detach) return 0;
  int code = supervise(r.pid, c.pidfd.get(), c.pty_master ? c.pty_master.get() : -1);
  remove();
  return code;
}

}  // namespace hull::container
