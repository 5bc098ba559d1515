// The one way every cloned or forked child of hull ends. A child shares the parent's stack
// frames up to the clone: an exception that left the child's entry would run the parent's
// destructors (guards that kill, remove cgroups, unlock state) inside the child.
#pragma once

#include <unistd.h>

#include <exception>
#include <string>

#include "linux/sync_socket.hpp"

namespace hull::linux_ {

// Reports msg over sync (when given and the peer still listens), else as "hull: msg" on
// stderr, and exits 1.
[[noreturn]] void child_fail(const SyncSocket* sync, const char* msg) noexcept;

// Runs body in the child and _exits: 0 when it returns, 1 with its error reported as
// child_fail does when it throws. Nothing unwinds past this frame.
template <typename Body>
[[noreturn]] void child_main(const SyncSocket* sync, Body&& body) noexcept {
  try {
    body();
  } catch (const std::exception& e) {
    child_fail(sync, e.what());
  } catch (...) {
    child_fail(sync, "unknown error in a child process");
  }
  ::_exit(0);
}

}  // namespace hull::linux_
