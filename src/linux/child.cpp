#include "linux/child.hpp"

#include <unistd.h>

#include <cstring>

#include "hull/warn.hpp"
#include "linux/kernel.hpp"

namespace hull::linux_ {

void child_fail(const SyncSocket* sync, const char* msg) noexcept {
  if (sync && sync->fd() >= 0) {
    try {
      sync->send(Msg::kError, msg);
      ::_exit(1);
    } catch (...) {
      // The peer is gone (create returned before start): say it where the caller sees it.
    }
  }
  // With --log the record goes to the log file alone (runc's rule); stderr may be the
  // container's stdio by now.
  try {
    if (log_write("error", msg)) ::_exit(1);
  } catch (...) {
  }
  const char prefix[] = "hull: ";
  // The last resort: nothing is left to report a failure of these to.
  Kernel& k = kernel();
  (void)!k.write(2, prefix, sizeof(prefix) - 1);
  (void)!k.write(2, msg, std::strlen(msg));
  (void)!k.write(2, "\n", 1);
  ::_exit(1);
}

}  // namespace hull::linux_
