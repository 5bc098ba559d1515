#include "container/lifecycle.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cctype>

#include "cgroups/manager.hpp"
#include "container/create.hpp"
#include "container/start_result.hpp"
#include "hooks/hooks.hpp"
#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/proc.hpp"
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
  struct pollfd p = {pidfd, POLLIN, 0};
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
}

std::unique_ptr<cgroups::Manager> manager_of(const state::Record& r) {
  return cgroups::reopen_manager(r.cgroup_path, r.cgroup_dirs);
}

void signal_all(const state::Record& r, int sig) {
  auto cg = manager_of(r);
  for (pid_t pid : cg->pids()) ::kill(pid, sig);
}

}  // namespace

int parse_signal(const std::string& name) {
  if (name.empty()) return SIGTERM;
  if (std::isdigit(static_cast<unsigned char>(name[0]))) {
    int n = std::stoi(name);
    if (n <= 0 || n >= NSIG) throw Error("invalid signal \"" + name + "\"");
    return n;
  }
  std::string n = name;
  for (auto& ch : n) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  if (n.rfind("SIG", 0) == 0) n = n.substr(3);
  for (int sig = 1; sig < NSIG; ++sig) {
    const char* abbrev = sigabbrev_np(sig);
    if (abbrev && n == abbrev) return sig;
  }
  if (n.rfind("RTMIN+", 0) == 0) return SIGRTMIN + std::stoi(n.substr(6));
  if (n.rfind("RTMAX-", 0) == 0) return SIGRTMAX - std::stoi(n.substr(6));
  throw Error("invalid signal \"" + name + "\"");
}

std::string status_of(const state::Record& r, const state::ContainerDir& dir) {
  if (!alive(r)) return "stopped";
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
  linux_::Fd fifo(::open(dir.fifo_path().c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fifo) throw Error::sys("container \"" + id + "\": opening the exec fifo");
  if (::write(fifo.get(), "0", 1) != 1) throw Error::sys("container \"" + id + "\": starting");
  fifo.reset();
  ::unlink(dir.fifo_path().c_str());
  if (result) {
    with_context("container \"" + id + "\": starting the process",
                 [&] { await_start(result.get(), [&] { return alive(r); }); });
  }
  remove_start_result(dir);
  spec::Spec s = load_saved_spec(dir);
  if (s.hooks && !s.hooks->poststart.empty()) {
    hooks::run_stage(s.hooks->poststart, "poststart", hook_state(r, "running"), false);
  }
}

void kill_container(const Globals& g, const std::string& id, const std::string& signal, bool all) {
  int sig = parse_signal(signal);
  state::Store store(g.root);
  auto dir = store.open(id);
  state::Record r = dir.load();
  if (all) {
    signal_all(r, sig);
    return;
  }
  linux_::Fd pidfd = open_init(r);
  if (!pidfd || !linux_::pidfd_send_signal(pidfd.get(), sig)) {
    throw Error("container \"" + id + "\" is not running");
  }
}

void destroy(const state::Record& r, state::ContainerDir& dir) {
  spec::Spec s;
  try {
    s = load_saved_spec(dir);
  } catch (const Error& e) {
    warn(e.message());
  }
  auto cg = manager_of(r);
  // Processes left behind by an init that exited (a shared pid namespace) go too.
  for (pid_t pid : cg->pids()) ::kill(pid, SIGKILL);
  cg->destroy();
  if (s.hooks && !s.hooks->poststop.empty()) {
    hooks::run_stage(s.hooks->poststop, "poststop", hook_state(r, "stopped"), false);
  }
  dir.remove();
}

void delete_container(const Globals& g, const std::string& id, bool force) {
  state::Store store(g.root);
  if (force && !store.exists(id)) {
    state::validate_id(id);
    return;
  }
  auto dir = store.open(id);
  state::Record r = dir.load();
  std::string status = status_of(r, dir);
  if (status == "running" || status == "paused") {
    if (!force) {
      throw Error("container \"" + id + "\" is " + status + ": stop it first or use --force");
    }
  }
  if (status != "stopped") {
    linux_::Fd pidfd = open_init(r);
    if (status == "paused") manager_of(r)->freeze(false);
    signal_all(r, SIGKILL);
    if (pidfd) {
      linux_::pidfd_send_signal(pidfd.get(), SIGKILL);
      wait_exit(pidfd.get());
    }
  }
  destroy(r, dir);
}

std::string state_json(const Globals& g, const std::string& id) {
  state::Store store(g.root);
  auto dir = store.open(id);
  state::Record r = dir.load();
  return state::oci_state_json(r, status_of(r, dir), true);
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
      auto dir = store.open(id);
      state::Record r = dir.load();
      out.push_back({r, status_of(r, dir)});
    } catch (const Error&) {
      // Deleted while we listed.
    }
  }
  return out;
}

}  // namespace hull::container
