// The parent side of create: load and validate the bundle, take the state dir, make the
// cgroup, clone the init and drive it to the point where it waits to be started.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cgroups/manager.hpp"
#include "container/options.hpp"
#include "linux/fd.hpp"
#include "linux/sync_socket.hpp"
#include "spec/model.hpp"
#include "state/record.hpp"
#include "state/store.hpp"

namespace hull::container {

// A container whose init waits to be started. For `create` the init waits on the exec fifo;
// for `run` (in_process_start) it waits for Msg::kStart on `sync`.
struct Created {
  spec::Spec spec;
  state::Record record;
  std::unique_ptr<state::ContainerDir> dir;
  std::unique_ptr<cgroups::Manager> cgroup;
  linux_::SyncSocket sync;
  linux_::Fd pidfd;         // valid when the init is our child or could be opened
  linux_::Fd pty_master;    // run -t without --console-socket: the container's terminal
  linux_::Fd start_result;  // run: where the init reports its execve (start_result.hpp)
  std::vector<std::string> warnings;
};

Created create_container(const Globals& g, const CreateOptions& o, bool in_process_start);

// The config.json the container was created from, kept in its state dir for later commands.
spec::Spec load_saved_spec(const state::ContainerDir& dir);

// The state JSON given to hooks on stdin.
std::string hook_state(const state::Record& r, const std::string& status);

// poststart, once the user process has exec'd. Its state says "created", as runc's does
// (runc reads the status before the exec fifo is gone); failures are warnings.
void run_poststart(const spec::Spec& s, const state::Record& r);

// Writes the pid file: digits only, no newline (containerd reads it without trimming).
void write_pid_file(const std::string& path, pid_t pid);

}  // namespace hull::container
