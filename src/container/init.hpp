// The child side of create: everything that runs inside the new namespaces up to execve.
#pragma once

#include <memory>
#include <string>

#include "cgroups/manager.hpp"
#include "container/namespaces.hpp"
#include "linux/sync_socket.hpp"
#include "security/seccomp.hpp"
#include "spec/model.hpp"

namespace hull::container {

struct InitConfig {
  const spec::Spec* spec = nullptr;
  std::string id;
  std::string bundle;
  std::string rootfs;
  NamespacePlan ns;
  const linux_::SyncSocket* sync = nullptr;  // the child's end
  int fifo_fd = -1;     // O_RDWR exec fifo; -1: wait for Msg::kStart instead (run)
  int result_fd = -1;   // write end of the start result channel (start_result.hpp)
  int console_fd = -1;  // where the pty master goes when process.terminal is set
  int preserve_fds = 0;
  bool no_pivot = false;
  bool no_new_keyring = false;
  bool hooks_roundtrip = false;  // parent runs prestart/createRuntime hooks mid-setup
  const cgroups::Manager* cgroup = nullptr;
  std::shared_ptr<const security::SeccompProgram> seccomp;  // compiled by the parent
  int seccomp_listener = -1;  // connected to listenerPath by the parent
};

// Runs in the cloned child under linux_::child_main, which reports what it throws to the
// parent as Msg::kError; never returns.
// It starts on the parent's Msg::kGo (sent once the cgroup, or the intermediate's report of
// its pid, is in place).
[[noreturn]] void run_init(const InitConfig& cfg);

// Used when namespaces must be joined by path or a time namespace made: setns/unshare here,
// then fork the init into the new PID namespace, report its pid, and exit. Also under
// linux_::child_main.
[[noreturn]] void run_intermediate(const InitConfig& cfg);

}  // namespace hull::container
