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
#include "hull/warn.hpp"
#include "linux/child.hpp"
#include "linux/close_fds.hpp"
#include "linux/files.hpp"
#include "linux/proc.hpp"
#include "linux/shared_clone.hpp"
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

// Moves the calling child (one thread) into the cgroup (manager.hpp's CloneJoin): by the
// tasks files, and by its pid where CLONE_INTO_CGROUP did not place it (the clone(2) fallback
// moves it from the parent, which may come after the child has started) or cannot.
bool joins_by_pid(const cgroups::Manager::CloneJoin& j, bool in_cgroup) {
  return j.add_pid || (j.into_fd >= 0 && !in_cgroup);
}

void join_cgroup(cgroups::Manager& m, const cgroups::Manager::CloneJoin& j, bool in_cgroup) {
  if (joins_by_pid(j, in_cgroup)) {
    m.add(::getpid());
    return;
  }
  for (const auto& f : j.self_files) linux_::write_all(f.get(), "0", "the cgroup's tasks file");
}

// Everything the children need; they run straight after clone3, no re-exec.
struct Plan {
  const spec::Spec* spec = nullptr;
  spec::Process process;
  std::string source;
  int preserve_fds = 0;
  int init_pidfd = -1;
  int root_fd = -1;  // /proc/<init>/root, opened before any setns
  int ns_flags = 0;
  // The container has a pid namespace that is not ours: the joiner joins it and the others and
  // forks the process into it (a process is never in that namespace before it has the mount
  // namespace, nor with an fd that leads out of the container).
  bool own_pid_ns = false;
  // How the joiner joins the cgroup, first (join_cgroup).
  cgroups::Manager* cgroup = nullptr;
  const cgroups::Manager::CloneJoin* join = nullptr;
  bool in_cgroup = false;
  int console_fd = -1;
  const linux_::SyncSocket* sync = nullptr;
  const ForwardedSignals* signals = nullptr;
  std::shared_ptr<const security::SeccompProgram> seccomp;
  int seccomp_listener = -1;
  std::string container_state;
};

// The process, inside every namespace of the container: terminal, process setup, execve.
// Nothing goes back to `exec` but an error: the socket closes at the execve.
[[noreturn]] void run_process(const Plan& p) {
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
  exec_process(pc, prepared);
}

// What the process may hold from its first instruction: its stdio, the fds passed on, the sync
// socket, its console socket, the seccomp agent and the --log file (for the warnings of its
// setup; runc's init keeps its log pipe too). Every other fd the joiner has (the state dir, the
// cgroup's directory and files, the init's pidfd, the container's root) goes: a process in the
// container's pid namespace is open to one with CAP_SYS_PTRACE there (/proc/PID/fd).
void close_all_but_the_process_fds(const Plan& p) {
  const int keep[] = {p.sync->fd(), p.console_fd, p.seccomp_listener, g_log_sink.fd};
  linux_::close_fds_except(3 + p.preserve_fds, keep);
}

// The joiner: joins the cgroup, the namespaces and the root, then drops every fd the process
// must not have. Without a pid namespace of the container's own it becomes the process; with
// one it forks the process into it as our child (CLONE_PARENT), reports its pid and exits. The
// pid namespace is joined by the same setns as the mount namespace, and only the fork after the
// chroot is in it: the container's /proc never shows a process with the host's mounts, root or
// fds. The joiner itself is never in that pid namespace. Where it shares our memory nothing
// here may change an object of ours, and the dumpable flag is ours too.
[[noreturn]] void run_joiner(const Plan& p) {
  with_context("joining the container's cgroup",
               [&] { join_cgroup(*p.cgroup, *p.join, p.in_cgroup); });
  // Nothing in the container may ptrace or read /proc of the process before the execve: it is
  // born not dumpable. Our own flag comes back below.
  int dumpable = linux_::kernel().prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
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
  close_all_but_the_process_fds(p);
  if (!p.own_pid_ns) run_process(p);
  linux_::CloneArgs ca;
  ca.flags = CLONE_PARENT;
  ca.want_pidfd = false;
  auto child = with_context("creating the exec's process in the container's pid namespace",
                            [&] { return linux_::clone3(ca); });
  if (child.pid == 0) linux_::child_main(p.sync, [&] { run_process(p); });
  p.sync->send(linux_::Msg::kInitPid, std::to_string(child.pid));
  if (dumpable > 0)
    linux_::kernel().prctl(PR_SET_DUMPABLE, static_cast<unsigned long>(dumpable), 0, 0, 0);
  ::_exit(0);
}

int joiner_entry(void* plan) {
  const Plan& p = *static_cast<const Plan*>(plan);
  linux_::child_main(p.sync, [&] { run_joiner(p); });
}

// The children of one exec, undone when it fails half way: the process (our child, the joiner
// or forked by it with CLONE_PARENT) is killed and reaped. A joiner is not killed but
// waited for (it only joins and forks, it never waits on anything) and its report read, so a
// process it forked just before the failure is killed too rather than left running unseen.
class ExecChildren {
 public:
  ExecChildren(pid_t child, bool joiner, const linux_::SyncSocket& sync) : sync_(sync) {
    (joiner ? joiner_ : process_) = child;
  }
  ExecChildren(const ExecChildren&) = delete;
  ExecChildren& operator=(const ExecChildren&) = delete;
  ~ExecChildren() {
    try {
      undo();
    } catch (...) {
      // A destructor: nothing to report to (a second stop signal, a broken socket).
    }
  }
  pid_t process() const { return process_; }
  void set_process(pid_t pid) { process_ = pid; }
  // The caller reaped the joiner.
  void joiner_reaped() { joiner_ = -1; }
  void release() { joiner_ = process_ = -1; }

 private:
  void undo() {
    int status;
    if (joiner_ > 0) {
      while (linux_::kernel().waitpid(joiner_, &status, 0) < 0 && errno == EINTR) {
      }
      while (process_ < 0) {
        auto m = sync_.receive_or_eof();
        if (!m) break;
        if (m->type == linux_::Msg::kInitPid) process_ = std::stoi(m->payload);
      }
    }
    if (process_ <= 0) return;
    // A process that could not be killed is not waited for.
    if (linux_::kernel().kill(process_, SIGKILL) < 0 && errno != ESRCH) return;
    while (linux_::kernel().waitpid(process_, &status, 0) < 0 && errno == EINTR) {
    }
  }

  const linux_::SyncSocket& sync_;
  pid_t joiner_ = -1;
  pid_t process_ = -1;
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

  // A joiner joins the container and forks the process into its pid namespace (run_joiner).
  // It shares our memory where it can: no page tables to copy, no copy-on-write faults, and we
  // sleep until it is done. Not to join a time namespace: that setns wants a memory of its own.
  plan.own_pid_ns = (plan.ns_flags & CLONE_NEWPID) != 0;
  bool share_memory = plan.own_pid_ns && !(plan.ns_flags & CLONE_NEWTIME);
  linux_::SyncSocket sync, child_end;
  linux_::SyncSocket::pair(sync, child_end);
  plan.sync = &child_end;
  std::optional<ForwardedSignals> signals;
  if (!o.detach) {
    signals.emplace();
    plan.signals = &*signals;
  }

  linux_::CloneArgs ca;
  cgroups::Manager::CloneJoin join = cgroup->clone_join();
  ca.cgroup_fd = join.into_fd;
  ca.want_pidfd = false;
  plan.cgroup = cgroup.get();
  plan.join = &join;
  linux_::CloneResult child;
  if (share_memory) {
    plan.in_cgroup = ca.cgroup_fd >= 0;
    child = with_context("creating the exec's joiner",
                         [&] { return linux_::clone_sharing_memory(ca, joiner_entry, &plan); });
  }
  if (child.pid < 0) {
    child = with_context("creating the exec's joiner", [&] { return linux_::clone3(ca); });
    if (child.pid == 0) {
      plan.in_cgroup = child.in_cgroup;
      linux_::child_main(&child_end, [&] { run_joiner(plan); });
    }
  }
  // The process is our child either way: the joiner, or forked by it with CLONE_PARENT.
  ExecChildren children(child.pid, plan.own_pid_ns, sync);
  child_end.close();
  join.self_files.clear();
  console.reset();
  listener.reset();
  // Until the socket's last end closes (the joiner's exit and the process's execve): the
  // process's pid when the joiner forked it, or an error instead of the execve. Both children
  // write without waiting, so an error of the process may come before its pid.
  std::optional<std::string> failed;
  while (auto m = with_context("sync socket: waiting for the exec's process",
                               [&] { return sync.receive_or_eof(); })) {
    if (m->type == linux_::Msg::kError) {
      if (!failed) failed = std::move(m->payload);
    } else if (m->type == linux_::Msg::kInitPid && children.process() < 0) {
      children.set_process(std::stoi(m->payload));
    } else {
      throw Error("sync protocol: unexpected message " + std::to_string(static_cast<int>(m->type)) +
                  " from the exec's process");
    }
  }
  if (plan.own_pid_ns) {
    with_context("waiting for the exec's joiner",
                 [&] { linux_::sys::waitpid(child.pid, nullptr, 0); });
    children.joiner_reaped();
  }
  if (failed) throw Error(*failed);
  pid_t pid = children.process();
  if (pid < 0) throw Error("the exec's joiner exited without creating the process");

  linux_::Fd master;
  if (console_peer) master = process::receive_fd(console_peer.get());
  if (!o.pid_file.empty()) write_pid_file(o.pid_file, pid);
  children.release();
  dir.unlock();
  if (o.detach) return 0;
  linux_::Fd pidfd =
      with_context("waiting for the exec'd process", [&] { return linux_::pidfd_open(pid); });
  return supervise(pid, pidfd.get(), master ? master.get() : -1);
}

}  // namespace hull::container
