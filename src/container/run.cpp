#include "container/run.hpp"

#include <poll.h>
#include <unistd.h>

#include "container/create.hpp"
#include "container/lifecycle.hpp"
#include "container/supervise.hpp"
#include "hull/error.hpp"
#include "linux/syscalls.hpp"

namespace hull::container {

int run_container(const Globals& g, const RunOptions& o) {
  ForwardedSignals signals;

  Created c = create_container(g, o.create, true);
  state::Record r = c.record;
  c.dir->unlock();
  c.sync.send(linux_::Msg::kStart);
  // The init's end closes at its execve (or exit): only then may poststart run.
  struct pollfd p = {c.sync.fd(), POLLIN, 0};
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
  c.sync.close();
  run_poststart(c.spec, r);
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
