#include "container/exec.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <optional>

#include "cgroups/manager.hpp"
#include "container/create.hpp"
#include "container/lifecycle.hpp"
#include "container/process_setup.hpp"
#include "container/supervise.hpp"
#include "hull/error.hpp"
#include "linux/child.hpp"
#include "linux/files.hpp"
#include "linux/proc.hpp"
#include "linux/sync_socket.hpp"
#include "linux/sys.hpp"
#include "linux/syscalls.hpp"
#include "process/terminal.hpp"
#include "security/lsm.hpp"
#include "security/seccomp.hpp"
#include "security/seccomp_cache.hpp"
#include "spec/namespaces.hpp"
#include "state/record.hpp"

namespace hull::container {
namespace {

// The init's namespaces that are not ours already: setns into one's own user namespace fails,
// and a container may share any of them with the host.
int namespaces_to_join(pid_t pid) {
  int flags = 0;
  for (const auto& ns : spec::namespace_types()) {
    std::string theirs_path = "/proc/" + std::to_string(pid) + "/ns/" + std::string(ns.proc_name);
    std::string ours_path = "/proc/self/ns/" + std::string(ns.proc_name);
    struct stat theirs, ours;
    if (::stat(theirs_path.c_str(), &theirs) < 0) {
      if (errno == ENOENT) continue;  // a kernel without this namespace type
      throw Error::sys("reading the container's namespaces: " + theirs_path);
    }
    if (::stat(ours_path.c_str(), &ours) == 0 && ours.st_dev == theirs.st_dev &&
        ours.st_ino == theirs.st_ino) {
      continue;
    }
    flags |= ns.clone_flag;
  }
  return flags;
}

// Everything the two children need; they run straight after clone3, no re-exec.
struct Plan {
  const spec::Spec* spec = nullptr;
  spec::Process process;
  std::string source;
  int preserve_fds = 0;
  int init_pidfd = -1;
  int root_fd = -1;  // /proc/<init>/root, opened before any setns
  int ns_flags = 0;
  int console_fd = -1;
  const linux_::SyncSocket* sync = nullptr;
  const ForwardedSignals* signals = nullptr;
  std::shared_ptr<const security::SeccompProgram> seccomp;
  int seccomp_listener = -1;
  std::string container_state;
};

// The grandchild, inside the PID namespace: terminal, process setup, execve.
[[noreturn]] void run_process(const Plan& p) {
  // The joiner reports our pid on the same socket: nothing of ours may overtake it.
  p.sync->expect(linux_::Msg::kGo);
  if (p.signals) p.signals->restore_in_child();
  if (p.process.terminal) {
    // The container's /dev/ptmx: the pty belongs to its devpts instance.
    process::Pty pty = process::open_pty(p.process.consoleSize);
    process::send_fd(p.console_fd, pty.master.get(), pty.slave_path);
    ::close(p.console_fd);
    process::attach_to_terminal(pty.slave.get());
  }
  ProcessContext pc =
      process_context(*p.spec, p.process, p.preserve_fds, p.seccomp, p.seccomp_listener);
  pc.source = p.source;
  pc.container_state = p.container_state;
  PreparedProcess prepared = prepare_process(pc);
  // Before kReady, so that a failed user switch reaches `exec` as its error; a profile
  // without noNewPrivileges must then allow send for this one message.
  finish_process(pc, prepared);
  p.sync->send(linux_::Msg::kReady);
  exec_process(pc, prepared);
}

// The child: joins the namespaces and the root, then forks the process into the PID namespace.
[[noreturn]] void run_joiner(const Plan& p) {
  p.sync->expect(linux_::Msg::kGo);
  // Nothing in the container may ptrace or read /proc of us before the execve.
  with_context("hiding the exec from the container",
               [] { linux_::sys::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0, "PR_SET_DUMPABLE"); });
  if (p.ns_flags) {
    with_context("joining the container's namespaces",
                 [&] { linux_::sys::setns(p.init_pidfd, p.ns_flags, "of the init (pidfd)"); });
  }
  if (p.ns_flags & CLONE_NEWUSER) {
    with_context("becoming root in the container's user namespace", [] {
      linux_::sys::setresgid(0);
      linux_::sys::setresuid(0);
    });
  }
  // Joining the mount namespace put our root at the namespace's root: go to the container's.
  with_context("entering the container's root", [&] {
    linux_::sys::fchdir(p.root_fd, "/proc/<init>/root");
    linux_::sys::chroot(".");
    linux_::sys::chdir("/");
  });
  linux_::CloneArgs ca;
  ca.want_pidfd = false;
  auto child = with_context("creating the exec's process in the container's pid namespace",
                            [&] { return linux_::clone3(ca); });
  if (child.pid == 0) linux_::child_main(p.sync, [&] { run_process(p); });
  p.sync->send(linux_::Msg::kInitPid, std::to_string(child.pid));
  ::_exit(0);
}

// Kills (and reaps, when it is ours) a child of an exec that failed half way.
class KillOnError {
 public:
  KillOnError(pid_t pid, bool reap) : pid_(pid), reap_(reap) {}
  KillOnError(const KillOnError&) = delete;
  KillOnError& operator=(const KillOnError&) = delete;
  ~KillOnError() {
    if (pid_ <= 0) return;
    // A destructor: nothing to report to; a child that could not be killed is not waited for.
    if (linux_::kernel().kill(pid_, SIGKILL) < 0 && errno != ESRCH) return;
    int status;
    while (reap_ && linux_::kernel().waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  void release() { pid_ = -1; }

 private:
  pid_t pid_;
  bool reap_;
};

std::unique_ptr<cgroups::Manager> exec_cgroup(const state::Record& r, const std::string& sub) {
  if (sub.empty()) return cgroups::reopen_manager(r.cgroup_path, r.cgroup_dirs);
  if (r.cgroup_path.empty() && r.cgroup_dirs.empty()) {
    throw Error("--cgroup \"" + sub +
                "\": the container has no cgroup (--cgroup-manager disabled)");
  }
  if (sub.front() == '/' || sub == ".." || sub.rfind("../", 0) == 0 ||
      sub.find("/../") != std::string::npos || sub.ends_with("/..")) {
    throw Error("--cgroup \"" + sub + "\": must be a path below the container's cgroup");
  }
  auto cg = cgroups::open_manager(r.cgroup_path + "/" + sub, r.id, false);
  for (const auto& h : cg->hierarchies()) {
    if (!linux_::exists(h.dir))
      throw Error("--cgroup \"" + sub + "\": " + h.dir + " does not exist");
  }
  return cg;
}

}  // namespace

int exec_in_container(const Globals& g, const ExecOptions& o) {
  state::Store store(g.root);
  auto dir = store.open(o.id);
  state::Record r = dir.load();
  std::string status = status_of(r, dir);
  if (status == "stopped") {
    throw Error("container \"" + o.id + "\" is not running: cannot exec in a stopped container");
  }
  if (status == "paused") {
    throw Error("container \"" + o.id + "\" is paused: resume it before exec");
  }
  spec::Spec saved = load_saved_spec(dir);
  Plan plan;
  plan.spec = &saved;
  plan.process = exec_process_spec(o, saved, plan.source);
  plan.preserve_fds = o.preserve_fds;
  // What the init checks before its clone: labels this host cannot apply, the filter compiled
  // here so that a bad one is reported before anything joins the container.
  security::check_lsm(saved, plan.process, plan.source);
  linux_::Fd listener;
  if (saved.linux_ && saved.linux_->seccomp) {
    plan.seccomp =
        std::make_shared<const security::SeccompProgram>(security::cached_compile_seccomp(
            *saved.linux_->seccomp, "config.json", store.cache_dir(), g.debug));
    if (plan.seccomp->notify) {
      listener = with_context("config.json: /linux/seccomp/listenerPath", [&] {
        return process::connect_unix(saved.linux_->seccomp->listenerPath, "seccomp agent");
      });
      plan.seccomp_listener = listener.get();
      plan.container_state = state::oci_state_json(r, "running", false);
    }
  }

  linux_::Fd init_pidfd;
  // Checked after the pidfd pins the process, so a reused pid cannot slip through.
  bool alive = with_context("container \"" + o.id + "\": opening its init", [&] {
    init_pidfd = linux_::pidfd_open(r.pid);
    return linux_::process_alive(r.pid, r.start_time);
  });
  if (!alive) {
    throw Error("container \"" + o.id + "\" is not running: cannot exec in a stopped container");
  }
  std::string root_path = "/proc/" + std::to_string(r.pid) + "/root";
  linux_::Fd root = with_context("opening the container's root", [&] {
    return linux_::sys::openat(AT_FDCWD, root_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  });
  plan.init_pidfd = init_pidfd.get();
  plan.root_fd = root.get();
  plan.ns_flags = namespaces_to_join(r.pid);
  auto cgroup = exec_cgroup(r, o.cgroup);

  linux_::Fd console, console_peer;
  if (plan.process.terminal) {
    auto channel = process::open_console_channel(o.console_socket);
    console = std::move(channel.to_container);
    console_peer = std::move(channel.peer);
    plan.console_fd = console.get();
  }

  linux_::SyncSocket sync, child_end;
  linux_::SyncSocket::pair(sync, child_end);
  plan.sync = &child_end;
  std::optional<ForwardedSignals> signals;
  if (!o.detach) {
    signals.emplace();
    plan.signals = &*signals;
    // The process's parent exits once it has forked it: we take it over to wait for it.
    with_context("becoming the exec's subreaper", [] {
      linux_::sys::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0, "PR_SET_CHILD_SUBREAPER");
    });
  }

  linux_::CloneArgs ca;
  ca.cgroup_fd = cgroup->clone_into_fd();
  ca.want_pidfd = false;
  auto joiner = with_context("creating the exec's joiner", [&] { return linux_::clone3(ca); });
  if (joiner.pid == 0) {
    linux_::child_main(&child_end, [&] {
      dir.unlock();
      sync.close();
      run_joiner(plan);
    });
  }
  KillOnError joiner_guard(joiner.pid, true);
  child_end.close();
  console.reset();
  listener.reset();
  if (ca.cgroup_fd < 0) cgroup->add(joiner.pid);
  sync.send(linux_::Msg::kGo);
  pid_t pid = std::stoi(sync.expect(linux_::Msg::kInitPid).payload);
  KillOnError process_guard(pid, !o.detach);
  sync.send(linux_::Msg::kGo);
  with_context("waiting for the exec's joiner",
               [&] { linux_::sys::waitpid(joiner.pid, nullptr, 0); });
  joiner_guard.release();
  sync.expect(linux_::Msg::kReady);
  // The process's end closes at its execve; what fails before that (labels, seccomp, the
  // execve itself) arrives as an error instead.
  sync.expect_closed();

  linux_::Fd master;
  if (console_peer) master = process::receive_fd(console_peer.get());
  if (!o.pid_file.empty()) write_pid_file(o.pid_file, pid);
  process_guard.release();
  dir.unlock();
  if (o.detach) return 0;
  linux_::Fd pidfd =
      with_context("waiting for the exec'd process", [&] { return linux_::pidfd_open(pid); });
  return supervise(pid, pidfd.get(), master ? master.get() : -1);
}

}  // namespace hull::container
