#include "container/lifecycle.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "cgroups/manager.hpp"
#include "cgroups/occupancy.hpp"
#include "container/create.hpp"
#include "container/start_result.hpp"
#include "hooks/hooks.hpp"
#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/interruptible.hpp"
#include "linux/proc.hpp"
#include "linux/sys.hpp"
#include "linux/syscalls.hpp"

namespace hull::container {
namespace {

bool alive(const state::Record& r) {
  return linux_::process_alive(r.pid, r.start_time);
}

// Opens a pidfd only if pid is still the process the record describes.
linux_::Fd open_init(const state::Record& r) {
  if (!alive(r)) return {};
  try {
    linux_::Fd pidfd = linux_::pidfd_open(r.pid);
    // Re-check after opening: the pidfd now pins this exact process.
    if (!alive(r)) return {};
    return pidfd;
  } catch (const Error&) {
    return {};
  }
}

void wait_exit(int pidfd) {
  linux_::wait_interruptible(pidfd, POLLIN, "the container init to exit");
}

std::unique_ptr<cgroups::Manager> manager_of(const state::Record& r) {
  return cgroups::reopen_manager(r.cgroup_path, r.cgroup_dirs, r.systemd_cgroup);
}

void signal_all(const state::Record& r, int sig) {
  manager_of(r)->signal_all(sig);
}

bool own_pid_namespace(const spec::Spec& s) {
  if (!s.linux_) return false;
  for (const auto& n : s.linux_->namespaces) {
    if (n.type == "pid" && n.path.empty()) return true;
  }
  return false;
}

// A cgroup shared with processes that were there before the container (runc 1.1 warns and
// goes on): with its own pid namespace the container's processes die with its init, and the
// others are left alone. Without one nothing tells them apart: all go, as with runc.
bool leave_occupants(const state::Record& r, const spec::Spec& s) {
  return r.shared_cgroup && own_pid_namespace(s);
}

spec::Spec saved_spec_or_default(const state::ContainerDir& dir) {
  try {
    return load_saved_spec(dir);
  } catch (const Error& e) {
    warn(e.message());
    return {};
  }
}

struct Seen {
  state::Record record;
  std::string status;
};

// Reads a container without waiting for a command that holds it; a create still under way
// shows as creating.
Seen look(const state::Store& store, const std::string& id) {
  if (auto dir = store.try_open(id)) {
    state::Record r = dir->load();
    return {r, status_of(r, *dir)};
  }
  auto dir = store.view(id);
  state::Record r = dir.load();
  if (r.creating) return {r, "creating"};
  return {r, status_of(r, dir)};
}

}  // namespace

std::string status_of(const state::Record& r, const state::ContainerDir& dir) {
  if (r.creating) return "stopped";
  if (!with_context("container \"" + r.id + "\"", [&] { return alive(r); })) return "stopped";
  if (dir.fifo_exists()) return "created";
  try {
    if (manager_of(r)->frozen()) return "paused";
  } catch (const Error&) {
  }
  return "running";
}

void start_container(const Globals& g, const std::string& id) {
  state::Store store(g.root);
  auto dir = store.open(id);
  state::Record r = dir.load();
  std::string status = status_of(r, dir);
  if (status != "created") {
    throw Error("container \"" + id + "\" is " + status + ": only a created container can start");
  }
  // Opened before the init is released: what it writes there is kept only while a reader
  // or the init holds the fifo. poststart must wait for the user process.
  linux_::Fd result =
      with_context("container \"" + id + "\"", [&] { return open_start_result(dir); });
  with_context("container \"" + id + "\": releasing the init through the exec fifo", [&] {
    linux_::Fd fifo =
        linux_::sys::openat(AT_FDCWD, dir.fifo_path().c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    ssize_t n;
    do {
      n = linux_::kernel().write(fifo.get(), "0", 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1) throw Error::sys("write " + dir.fifo_path(), n < 0 ? errno : EIO);
  });
  // Released: the fifo's absence is what says "running" from now on.
  with_context("container \"" + id + "\": released, but removing its exec fifo",
               [&] { linux_::sys::unlinkat(AT_FDCWD, dir.fifo_path().c_str(), 0); });
  if (result) {
    with_context("container \"" + id + "\": starting the process", [&] {
      await_start(result.get(),
                  [&] { return linux_::process_alive_with_image(r.pid, r.start_time); });
    });
  }
  remove_start_result(dir);
  run_poststart(load_saved_spec(dir), r);
}

void kill_container(const Globals& g, const std::string& id, int sig, bool all) {
  state::Store store(g.root);
  auto dir = store.open(id);
  state::Record r = dir.load();
  // Without a cgroup (--cgroup-manager disabled) there is no list of processes: the init.
  if (all && !(r.cgroup_path.empty() && r.cgroup_dirs.empty())) {
    signal_all(r, sig);
    return;
  }
  bool sent = with_context("container \"" + id + "\"", [&] {
    linux_::Fd pidfd = open_init(r);
    return pidfd && linux_::pidfd_send_signal(pidfd.get(), sig);
  });
  if (!sent) throw Error("container \"" + id + "\" is not running");
}

void destroy(const state::Record& r, state::ContainerDir& dir) {
  destroy(r, dir, saved_spec_or_default(dir));
}

void destroy(const state::Record& r, state::ContainerDir& dir, const spec::Spec& s) {
  // Processes left behind by an init that exited (a shared pid namespace) and child cgroups
  // the container made go too, unless the cgroup was shared from the start.
  if (leave_occupants(r, s)) {
    cgroups::remove_leaving_occupants(*manager_of(r));
  } else {
    manager_of(r)->destroy();
  }
  if (s.hooks && !s.hooks->poststop.empty()) {
    hooks::run_stage(s.hooks->poststop, "poststop", hook_state(r, "stopped"), false);
  }
  dir.remove();
}

void delete_container(const Globals& g, const std::string& id, bool force) {
  state::Store store(g.root);
  if (force && !store.exists(id)) {
    store.remove_stale(id);
    return;
  }
  auto dir = store.open(id);
  state::Record r = dir.load();
  std::string status = status_of(r, dir);
  spec::Spec s = saved_spec_or_default(dir);
  if (status == "running" || status == "paused") {
    if (!force) {
      throw Error("container \"" + id + "\" is " + status + ": stop it first or use --force");
    }
  }
  // A create that died half way may have left its init (it exits on its own once it sees
  // its creator gone, but may not have yet).
  if (status != "stopped" || r.creating) {
    with_context("container \"" + id + "\": stopping its processes", [&] {
      linux_::Fd pidfd = open_init(r);
      // Paused, or a child cgroup the container froze itself: the kill only lands once thawed.
      manager_of(r)->thaw_tree();
      if (!leave_occupants(r, s)) signal_all(r, SIGKILL);
      if (pidfd) {
        linux_::pidfd_send_signal(pidfd.get(), SIGKILL);
        wait_exit(pidfd.get());
      }
    });
  }
  with_context("container \"" + id + "\"", [&] { destroy(r, dir, s); });
}

std::string state_json(const Globals& g, const std::string& id) {
  Seen seen = look(state::Store(g.root), id);
  return state::oci_state_json(seen.record, seen.status, true);
}

void pause_container(const Globals& g, const std::string& id, bool pause) {
  state::Store store(g.root);
  auto dir = store.open(id);
  state::Record r = dir.load();
  std::string status = status_of(r, dir);
  if (pause && status != "running") {
    throw Error("container \"" + id + "\" is " + status + ": only a running container can pause");
  }
  if (!pause && status != "paused") {
    throw Error("container \"" + id + "\" is " + status + ": it is not paused");
  }
  manager_of(r)->freeze(pause);
}

std::vector<ListEntry> list_containers(const Globals& g) {
  state::Store store(g.root);
  std::vector<ListEntry> out;
  for (const auto& id : store.ids()) {
    try {
      Seen seen = look(store, id);
      out.push_back({seen.record, seen.status});
    } catch (const Error& e) {
      // Deleted while we listed: nothing to say. A damaged state.json hides that container
      // only, and says so (runc: "load container").
      if (store.exists(id)) warn("load container " + id + ": " + e.message());
    }
  }
  return out;
}

}  // namespace hull::container
