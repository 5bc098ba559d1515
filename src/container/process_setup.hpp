// The process half of container setup, shared by the init (create) and by exec: identity,
// limits, scheduling, LSM labels, capabilities, no_new_privs, seccomp, then the execve.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "security/seccomp.hpp"
#include "spec/model.hpp"

namespace hull::container {

struct ProcessContext {
  const spec::Spec* spec = nullptr;  // the container's config (seccomp, personality, ...)
  const spec::Process* process = nullptr;
  std::string source = "config.json: /process";  // names fields in errors
  int preserve_fds = 0;
  // The init sets oom_score_adj before its rootfs exists, through the runtime's /proc, so
  // nothing mounted in the container can catch the write.
  bool oom_score_adj_done = false;
  // linux.seccomp compiled ahead (create does it before the clone). When null and the spec
  // has seccomp, prepare_process compiles it here; mutable so that it is kept for exec_process.
  mutable std::shared_ptr<const security::SeccompProgram> seccomp;
  // For SCMP_ACT_NOTIFY: a socket already connected to listenerPath (it names a host path,
  // which the container's root no longer shows), and the container state JSON to send.
  int seccomp_listener = -1;
  std::string container_state;
  // The process env with HOME filled in, set by prepare_process while it may still read the
  // container's /etc/passwd (before the switch to the process's user).
  mutable std::vector<std::string> env;
};

// Runs inside the container's root, as root of its user namespace, after the terminal is set
// up. Returns the resolved path of args[0].
std::string prepare_process(const ProcessContext& ctx);

// Last steps before the user's program: LSM exec labels, closing inherited fds, seccomp
// (when noNewPrivileges made it loadable this late), execve.
[[noreturn]] void exec_process(const ProcessContext& ctx, const std::string& path);

}  // namespace hull::container
