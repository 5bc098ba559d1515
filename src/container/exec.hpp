// `exec`: a new process in a running container. One child joins the init's namespaces with
// setns (one pidfd call, the user namespace first), its cgroup and its root. When the
// container has a pid namespace of its own, that child forks the process into it (only then,
// so the container's /proc never shows a process with the host's mounts or root) and exits;
// otherwise the child is the process. Either goes through the same process setup as the
// init (process_setup.hpp). The children never wait for `exec`: they send the process's pid
// or an error, and the sync socket's end-of-file is the execve.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "container/options.hpp"
#include "spec/model.hpp"

namespace hull::container {

struct ExecOptions {
  std::string id;
  std::vector<std::string> args;  // COMMAND ARGS... after the id
  std::string process_file;       // --process: a process.json replacing config.json's
  std::optional<bool> tty;
  std::string console_socket;
  bool detach = false;
  std::string pid_file;
  std::string cwd;
  std::vector<std::string> env;  // K=V, added to or replacing the config's
  std::string user;              // uid[:gid]
  std::vector<uint32_t> additional_gids;
  std::vector<std::string> caps;
  bool no_new_privs = false;
  std::string apparmor;
  std::string process_label;
  int preserve_fds = 0;
  std::string cgroup;  // a sub-cgroup of the container's, which must exist
};

// The process to run: --process or config.json's process, then the flags over it. `source`
// names the document in errors.
spec::Process exec_process_spec(const ExecOptions& o, const spec::Spec& saved, std::string& source);

// Runs the process. Foreground: waits and returns its exit code (128+N on signal N);
// --detach: returns 0 once it runs.
int exec_in_container(const Globals& g, const ExecOptions& o);

}  // namespace hull::container
