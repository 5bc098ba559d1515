#include "container/run.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "container/create.hpp"
#include "container/lifecycle.hpp"
#include "container/start_result.hpp"
#include "container/supervise.hpp"
#include "hull/error.hpp"
#include "linux/kernel.hpp"
#include "linux/proc.hpp"
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
    // The config parsed by create is the one saved beside the record: no second read.
    destroy(r, dir, c.spec);
  };
  c.sync.send(linux_::Msg::kStart);
  // Returns at the init's execve: only then may poststart run. An init that failed on its
  // way there (startContainer hooks, the user switch, the execve itself) takes the container
  // with it, as with runc.
  try {
    await_start(c.start_result.get(),
                [&] { return linux_::process_alive_with_image(r.pid, r.start_time); });
  } catch (const Error&) {
    linux_::pidfd_send_signal(c.pidfd.get(), SIGKILL);
    // Ours to reap (the init, or its intermediate's orphan: run is their subreaper).
    int status;
    while (linux_::kernel().waitpid(r.pid, &status, 0) < 0 && errno == EINTR) {
    }
    remove();
    throw;
  }
  c.start_result.reset();
  c.sync.close();
  run_poststart(c.spec, r);
  if (o.detach) return 0;
  int code = supervise(r.pid, c.pidfd.get(), c.pty_master ? c.pty_master.get() : -1);
  remove();
  return code;
}

}  // namespace hull::container
