// The process half of container setup, shared by the init (create) and by exec: identity,
// limits, scheduling, LSM labels, capabilities, no_new_privs, seccomp, then the execve.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "process/credentials.hpp"
#include "security/capabilities.hpp"
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
  // linux.seccomp, compiled by the parent before the clone (create) or the fork (exec), where
  // a bad profile fails before anything exists; null when the spec has none.
  std::shared_ptr<const security::SeccompProgram> seccomp;
  // For SCMP_ACT_NOTIFY: a socket already connected to listenerPath (it names a host path,
  // which the container's root no longer shows), and the container state JSON to send.
  int seccomp_listener = -1;
  std::string container_state;
  // Where the last steps report (start_result.hpp); -1: on stderr (exec).
  int result_fd = -1;
};

// The context both the init (create) and exec start from; each then sets what is its own
// (the init: result_fd, oom_score_adj_done; exec: source, container_state).
ProcessContext process_context(const spec::Spec& s, const spec::Process& p, int preserve_fds,
                               std::shared_ptr<const security::SeccompProgram> seccomp,
                               int seccomp_listener);

// What prepare_process works out as root, before any filter, for the steps after it.
struct PreparedProcess {
  std::string path;              // args[0] resolved
  std::vector<std::string> env;  // process.env with HOME filled in
  security::CapSets caps;
  bool cwd_done = false;  // the chdir as root worked; else it is retried as the user
  std::optional<process::LateRlimit> late_rlimit;  // a low RLIMIT_NOFILE, set before execve
  bool finished = false;
};

// Runs inside the container's root, as root of its user namespace, after the terminal is set
// up: limits, scheduling, the bounding set, the cwd, closing inherited fds, the lookup of
// args[0]. Makes no syscall a seccomp profile must allow.
PreparedProcess prepare_process(const ProcessContext& ctx);

// The seccomp filter when noNewPrivileges is false (it must load while root), then the user
// and capability switch and no_new_privs. Only identity syscalls follow the filter's load,
// as in runc. Does nothing the second time.
void finish_process(const ProcessContext& ctx, PreparedProcess& prepared);

// Last steps before the user's program: finish_process if not done, LSM exec labels,
// seccomp (when noNewPrivileges made it loadable this late), execve. Failures go to
// ctx.result_fd (see start_result.hpp) and end the process.
[[noreturn]] void exec_process(const ProcessContext& ctx, PreparedProcess& prepared);

}  // namespace hull::container
