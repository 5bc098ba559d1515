#include "container/run.hpp"

#include <poll.h>
#include <unistd.h>

#include "container/create.hpp"
#include "container/lifecycle.hpp"
#include "container/start_result.hpp"
#include "container/supervise.hpp"
#include "hooks/hooks.hpp"
#include "hull/error.hpp"
#include "linux/proc.hpp"
#include "linux/syscalls.hpp"

namespace hull::container {

int run_container(const Globals& g, const RunOptions& o) {
  ForwardedSignals signals;

  Created c = create_container(g, o.create, true);
  state::Record r = c.record;
  c.dir->unlock();
  c.sync.send(linux_::Msg::kStart);
  // Returns at the init's execve: only then may poststart run. An init that failed on its
  // way there takes the container with it, as with runc.
  try {
    await_start(c.start_result.get(), [&] { return linux_::process_alive(r.pid, r.start_time); });
  } catch (const Error&) {
    state::Store store(g.root);
    auto dir = store.open(r.id);
    destroy(r, dir);
    throw;
  }
  c.start_result.reset();
  c.sync.close();
  if (c.spec.hooks && !c.spec.hooks->poststart.empty()) {
    hooks::run_stage(c.spec.hooks->poststart, "poststart", hook_state(r, "running"), false);
  }
  if (o.detach) return 0;
  int code = supervise(r.pid, c.pidfd.get(), c.pty_master ? c.pty_master.get() : -1);
  if (!o.keep) {
    state::Store store(g.root);
    auto dir = store.open(r.id);
    destroy(r, dir);
  }
  return code;
}

}  // namespace hull::container
