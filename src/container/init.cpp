#include "container/init.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "container/net_devices.hpp"
#include "container/process_setup.hpp"
#include "container/start_result.hpp"
#include "hooks/hooks.hpp"
#include "hull/error.hpp"
#include "linux/child.hpp"
#include "linux/files.hpp"
#include "linux/proc.hpp"
#include "linux/procfs.hpp"
#include "linux/sys.hpp"
#include "linux/syscalls.hpp"
#include "process/credentials.hpp"
#include "process/sysctl.hpp"
#include "process/terminal.hpp"
#include "rootfs/rootfs.hpp"

namespace hull::container {
namespace {

void become_root_in_userns(const InitConfig& cfg) {
  if (!(cfg.ns.new_flags & CLONE_NEWUSER) && !cfg.ns.has(CLONE_NEWUSER)) return;
  // Files made during setup must belong to the namespace's root, not the overflow id.
  with_context("becoming root in the user namespace (is uid/gid 0 mapped?)", [] {
    linux_::sys::setresgid(0);
    linux_::sys::setresuid(0);
  });
}

void set_names(const spec::Spec& s, const NamespacePlan& ns) {
  if (!s.hostname.empty()) {
    if (!ns.has(CLONE_NEWUTS)) {
      throw Error("config.json: /hostname: setting a hostname needs a uts namespace");
    }
    with_context("config.json: /hostname", [&] { linux_::sys::sethostname(s.hostname); });
  }
  if (!s.domainname.empty()) {
    if (!ns.has(CLONE_NEWUTS)) {
      throw Error("config.json: /domainname: setting a domainname needs a uts namespace");
    }
    with_context("config.json: /domainname", [&] { linux_::sys::setdomainname(s.domainname); });
  }
}

void join_session_keyring(const InitConfig& cfg) {
  if (cfg.no_new_keyring) return;
  std::string name = "_ses." + cfg.id;
  // Keyrings may be unavailable (ENOSYS) or restricted in a user namespace: not fatal.
  linux_::kernel().keyctl_join(name.c_str());
}

void setup_terminal(const InitConfig& cfg, const spec::Process& p) {
  process::Pty pty = process::open_pty(p.consoleSize);
  rootfs::mount_console(pty.slave_path);
  process::send_fd(cfg.console_fd, pty.master.get(), pty.slave_path);
  ::close(cfg.console_fd);
  process::attach_to_terminal(pty.slave.get());
}

// From here the init may outlive its creator.
void outlive_creator() {
  with_context("committing the container (the init outlives its creator)",
               [] { linux_::sys::prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0, "PR_SET_PDEATHSIG"); });
}

// The creator's last word, sent once the container is recorded: from then on the init may
// outlive it. Before that a creator that dies (the socket closes) takes the init with it,
// so a create killed half way leaves no init blocked on the exec fifo.
void await_commit(const InitConfig& cfg) {
  try {
    cfg.sync->expect(linux_::Msg::kGo);
  } catch (...) {
    ::_exit(1);
  }
  outlive_creator();
  cfg.sync->send(linux_::Msg::kReady);
}

// create: the commit, then the exec fifo `start` writes. run: one message is both (run sends
// it once the container is recorded), so the commit costs no round trip of its own; a run
// that dies before it still takes the init with it.
void wait_for_start(const InitConfig& cfg) {
  if (cfg.fifo_fd < 0) {
    cfg.sync->expect(linux_::Msg::kStart);
    outlive_creator();
    return;
  }
  await_commit(cfg);
  // Nobody waits for an error here: `start` only writes the fifo.
  char c;
  ssize_t n;
  do {
    n = linux_::kernel().read(cfg.fifo_fd, &c, 1);
  } while (n < 0 && errno == EINTR);
  if (n != 1) ::_exit(1);
}

// The parent sends the state as startContainer will see it; createContainer runs while the
// container is still being created.
std::string creating(std::string state) {
  const std::string from = "\"status\":\"created\"";
  auto at = state.find(from);
  if (at != std::string::npos) state.replace(at, from.size(), "\"status\":\"creating\"");
  return state;
}

// Everything up to the exec fifo: the rootfs, the terminal and what the process needs
// worked out while still privileged.
PreparedProcess setup(const InitConfig& cfg, ProcessContext& pc) {
  const spec::Spec& s = *cfg.spec;
  const spec::Process& p = *s.process;
  cfg.sync->expect(linux_::Msg::kGo);
  rootfs::Context rc;
  rc.spec = &s;
  rc.bundle = cfg.bundle;
  rc.rootfs = cfg.rootfs;
  // Devices are bind-mounted in any user namespace, a new one or the runtime's own (runc's
  // RunningInUserNS rule).
  rc.new_userns = cfg.ns.has(CLONE_NEWUSER) || linux_::in_child_user_namespace();
  rc.new_cgroupns = cfg.ns.has(CLONE_NEWCGROUP);
  rc.no_pivot = cfg.no_pivot;
  rc.cgroups = &cfg.cgroup->mount_view();
  // Still with the caller's host credentials: bind sources only host root may traverse are
  // reachable now and not after the switch to the mapped root (runc opens them early too).
  std::vector<linux_::Fd> bind_sources;
  if (rc.new_userns) {
    bind_sources = rootfs::open_bind_sources(rc);
    rc.bind_sources = &bind_sources;
  }
  become_root_in_userns(cfg);
  if (cfg.ns.new_flags & CLONE_NEWCGROUP) {
    with_context("creating the cgroup namespace", [] { linux_::sys::unshare(CLONE_NEWCGROUP); });
  }
  with_context("hiding the init from the container",
               [] { linux_::sys::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0, "PR_SET_DUMPABLE"); });
  join_session_keyring(cfg);
  set_names(s, cfg.ns);
  if (cfg.ns.new_flags & CLONE_NEWNET) bring_up_loopback();
  // Through the runtime's /proc, before the rootfs exists: nothing of the container's can
  // stand in for it yet (and it is checked to be procfs all the same).
  process::write_sysctls(s);
  if (s.process->oomScoreAdj) process::set_oom_score_adj(*s.process->oomScoreAdj);

  bool own_mount_ns = cfg.ns.has(CLONE_NEWNS);
  if (own_mount_ns) {
    rootfs::prepare(rc);
    rootfs::mount_all(rc);
    rootfs::create_devices(rc);
  }
  if (cfg.hooks_roundtrip) {
    cfg.sync->send(linux_::Msg::kRunHooks);
    pc.container_state = cfg.sync->expect(linux_::Msg::kHooksDone).payload;
    if (s.hooks) {
      hooks::run_stage(s.hooks->createContainer, "createContainer", creating(pc.container_state),
                       true, cfg.rootfs);
    }
  }
  rootfs::create_cwd(rc, p.cwd);
  if (own_mount_ns) {
    with_context("entering the rootfs", [&] { rootfs::enter_root(rc); });
    rootfs::finalize(rc);
  } else {
    with_context("entering the rootfs (no mount namespace)", [&] {
      linux_::sys::chroot(cfg.rootfs.c_str());
      linux_::sys::chdir("/");
    });
  }

  if (p.terminal && cfg.console_fd >= 0) setup_terminal(cfg, p);
  return prepare_process(pc);
}

}  // namespace

void run_init(const InitConfig& cfg) {
  // `run` blocks the signals it forwards: prepare_process (in setup) resets mask and actions.
  ProcessContext pc = process_context(*cfg.spec, *cfg.spec->process, cfg.preserve_fds, cfg.seccomp,
                                      cfg.seccomp_listener);
  pc.oom_score_adj_done = true;  // set in setup, through the runtime's /proc
  pc.result_fd = cfg.result_fd;
  PreparedProcess prepared = setup(cfg, pc);
  cfg.sync->send(linux_::Msg::kReady);
  wait_for_start(cfg);
  // From here `start` (or `run`) waits on cfg.result_fd for the outcome.
  try {
    finish_process(pc, prepared);
    if (cfg.spec->hooks) {
      hooks::run_stage(cfg.spec->hooks->startContainer, "startContainer", pc.container_state, true);
    }
  } catch (const std::exception& e) {
    report_failure(cfg.result_fd, e.what());
  }
  exec_process(pc, prepared);
}

void run_intermediate(const InitConfig& cfg) {
  cfg.sync->expect(linux_::Msg::kGo);
  // Open every path first: after joining a mount namespace, the paths may mean other files.
  std::vector<std::pair<int, linux_::Fd>> fds;
  for (const auto& j : cfg.ns.joins) {
    fds.emplace_back(j.flag, with_context("config.json: /linux/namespaces", [&] {
                       return linux_::sys::openat(AT_FDCWD, j.path.c_str(), O_RDONLY | O_CLOEXEC);
                     }));
  }
  for (size_t i = 0; i < fds.size(); ++i) {
    with_context("config.json: /linux/namespaces: joining " + cfg.ns.joins[i].path,
                 [&] { linux_::sys::setns(fds[i].second.get(), fds[i].first, nullptr); });
  }
  if (cfg.ns.new_flags & CLONE_NEWUSER) {
    with_context("creating the user namespace", [] { linux_::sys::unshare(CLONE_NEWUSER); });
    cfg.sync->send(linux_::Msg::kNeedMaps);
    cfg.sync->expect(linux_::Msg::kMapsWritten);
  }
  unsigned long rest = cfg.ns.new_flags & ~(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWCGROUP);
  if (rest) {
    with_context("creating namespaces", [&] { linux_::sys::unshare(static_cast<int>(rest)); });
  }
  if (cfg.spec->linux_) {
    for (const auto& [clock, off] : cfg.spec->linux_->timeOffsets) {
      std::string line =
          clock + " " + std::to_string(off.secs) + " " + std::to_string(off.nanosecs);
      with_context("config.json: /linux/timeOffsets/" + clock,
                   [&] { linux_::write_proc("self/timens_offsets", line); });
    }
  }
  linux_::CloneArgs ca;
  ca.flags = cfg.ns.new_flags & CLONE_NEWPID;
  ca.want_pidfd = false;
  auto child = with_context("creating the container's init (in the intermediate)",
                            [&] { return linux_::clone3(ca); });
  // The init waits for the parent's go, sent once it has our report of the init's pid:
  // nothing the init sends may overtake that report on the shared socket.
  if (child.pid == 0) linux_::child_main(cfg.sync, [&] { run_init(cfg); });
  cfg.sync->send(linux_::Msg::kInitPid, std::to_string(child.pid));
  ::_exit(0);
}

}  // namespace hull::container
