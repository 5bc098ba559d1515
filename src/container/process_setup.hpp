// The process half of container setup, shared by the init (create) and by exec: identity,
// limits, capabilities, no_new_privs, then the final execve.
#pragma once

#include <string>

#include "spec/model.hpp"

namespace hull::container {

struct ProcessContext {
  const spec::Spec* spec = nullptr;  // the container's config (for seccomp and the like)
  const spec::Process* process = nullptr;
  std::string source = "config.json: /process";  // names fields in errors
  int preserve_fds = 0;
};

// Runs inside the container's root, as root of its user namespace, after the terminal is set
// up. Returns the resolved path of args[0].
std::string prepare_process(const ProcessContext& ctx);

// Last steps before the user's program: seccomp, closing inherited fds, execve.
[[noreturn]] void exec_process(const ProcessContext& ctx, const std::string& path);

// "hull: warning: ..." on stderr, from code that runs in the container's processes.
void child_warning(const std::string& msg);

}  // namespace hull::container
