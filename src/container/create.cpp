#include "container/create.hpp"

#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroups/occupancy.hpp"
#include "container/init.hpp"
#include "container/namespaces.hpp"
#include "container/net_devices.hpp"
#include "container/start_result.hpp"
#include "container/userns.hpp"
#include "hooks/hooks.hpp"
#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"
#include "linux/child.hpp"
#include "linux/close_fds.hpp"
#include "linux/files.hpp"
#include "linux/proc.hpp"
#include "linux/procfs.hpp"
#include "linux/sys.hpp"
#include "linux/syscalls.hpp"
#include "process/credentials.hpp"
#include "process/sysctl.hpp"
#include "process/terminal.hpp"
#include "security/lsm.hpp"
#include "security/seccomp_cache.hpp"
#include "spec/parse.hpp"

namespace hull::container {
namespace {

std::string absolute(const std::string& path) {
  char buf[PATH_MAX];
  if (!::realpath(path.c_str(), buf)) throw Error::sys(path);
  return buf;
}

std::string now_rfc3339() {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  gmtime_r(&ts.tv_sec, &tm);
  char buf[64], out[96];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out, sizeof(out), "%s.%09ldZ", buf, ts.tv_nsec);
  return out;
}

// Checks and work that belong before the clone, where a failure leaves nothing to undo:
// fields this host cannot honour, and the seccomp filter compiled once.
void check_host_support(const spec::Spec& s) {
  process::check_sysctls(s);
  check_net_devices(s);
  security::check_lsm(s, *s.process, "config.json: /process");
  if (s.linux_ && s.linux_->intelRdt) {
    struct statfs sfs;
    if (::statfs("/sys/fs/resctrl", &sfs) < 0 || sfs.f_type != RDTGROUP_SUPER_MAGIC) {
      throw Error(
          "config.json: /linux/intelRdt: resctrl is not mounted at /sys/fs/resctrl "
          "(no Intel RDT / AMD QoS on this host)");
    }
    throw Error("config.json: /linux/intelRdt: resctrl groups are not supported by hull yet");
  }
}

std::shared_ptr<const security::SeccompProgram> compile_seccomp(const spec::Spec& s,
                                                                const Globals& g) {
  if (!s.linux_ || !s.linux_->seccomp) return nullptr;
  return std::make_shared<const security::SeccompProgram>(security::cached_compile_seccomp(
      *s.linux_->seccomp, "config.json", state::Store(g.root).cache_dir(), g.debug));
}

// The agent at listenerPath gets the listener from the container process; the path is a
// host one, so the connection is made here and inherited.
linux_::Fd connect_listener(const spec::Spec& s, const security::SeccompProgram* prog) {
  if (!prog || !prog->notify) return {};
  const std::string& path = s.linux_->seccomp->listenerPath;
  return with_context("config.json: /linux/seccomp/listenerPath",
                      [&] { return process::connect_unix(path, "seccomp agent"); });
}

// Runs the poststop hooks of a create that failed after its createRuntime stage began, so
// that what those hooks set up (a network, a lease) is taken down (runtime-spec lifecycle).
class PoststopGuard {
 public:
  PoststopGuard(const spec::Spec& s, const state::Record& r) : spec_(s), record_(r) {}
  void arm() { armed_ = true; }
  void release() { armed_ = false; }
  ~PoststopGuard() {
    if (!armed_ || !spec_.hooks || spec_.hooks->poststop.empty()) return;
    try {
      hooks::run_stage(spec_.hooks->poststop, "poststop", hook_state(record_, "stopped"), false);
    } catch (...) {
    }
  }

 private:
  const spec::Spec& spec_;
  const state::Record& record_;
  bool armed_ = false;
};

// Kills and reaps the init (and the intermediate) of a create that failed half way.
class ChildGuard {
 public:
  void set(pid_t pid, int pidfd) {
    pid_ = pid;
    pidfd_ = pidfd;
  }
  void release() { pid_ = -1; }
  ~ChildGuard() {
    if (pid_ <= 0) return;
    // A destructor: nothing to report to. The pid is ours (unreaped), so kill(2) by pid is
    // safe where the pidfd cannot be used; a child that could not be killed is not waited
    // for (it would block this create forever; it dies with its parent-death signal).
    bool signalled = false;
    try {
      signalled = pidfd_ >= 0 && linux_::pidfd_send_signal(pidfd_, SIGKILL);
    } catch (const Error&) {
    }
    if (!signalled && linux_::kernel().kill(pid_, SIGKILL) < 0 && errno != ESRCH) return;
    int status;
    while (linux_::kernel().waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }

 private:
  pid_t pid_ = -1;
  int pidfd_ = -1;
};

class CgroupGuard {
 public:
  explicit CgroupGuard(cgroups::Manager* m) : m_(m) {}
  void release() { m_ = nullptr; }
  ~CgroupGuard() {
    if (!m_) return;
    try {
      m_->destroy();
    } catch (...) {
    }
  }

 private:
  cgroups::Manager* m_;
};

// The init's pid goes into the record as soon as it is known: a create killed after this
// leaves an init that `delete` can find (it also exits by itself, its creator gone). `run`'s
// own child is tied to it by its parent-death signal until the record is final, so run
// commits the pid only with that final record (save false): one write of state.json fewer.
void record_init(const state::ContainerDir& dir, state::Record& r, pid_t pid, bool save = true) {
  r.pid = pid;
  if (!save) return;
  auto st = linux_::proc_stat(pid);
  if (!st) return;
  r.start_time = st->start_time;
  dir.save(r);
}

std::string rootfs_path(const spec::Spec& s, const std::string& bundle) {
  if (!s.root || s.root->path.empty()) throw Error("config.json: /root/path: missing");
  std::string p = s.root->path.front() == '/' ? s.root->path : bundle + "/" + s.root->path;
  struct stat st;
  if (::stat(p.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) {
    throw Error::sys("config.json: /root/path: rootfs " + p, errno ? errno : ENOTDIR);
  }
  return absolute(p);
}

std::string owner_name() {
  // Read /etc/passwd directly: NSS does not work from a static binary.
  uid_t uid = ::getuid();
  if (uid == 0) return "";
  if (auto text = linux_::try_read_file("/etc/passwd")) {
    if (auto fields = process::passwd_fields(*text, uid)) return fields->front();
  }
  return std::to_string(uid);
}

}  // namespace

std::string hook_state(const state::Record& r, const std::string& status) {
  return state::oci_state_json(r, status, false);
}

void run_poststart(const spec::Spec& s, const state::Record& r) {
  if (s.hooks && !s.hooks->poststart.empty()) {
    hooks::run_stage(s.hooks->poststart, "poststart", hook_state(r, "created"), false);
  }
}

void write_pid_file(const std::string& path, pid_t pid) {
  with_context("writing pid file " + path,
               [&] { linux_::write_file_atomic(path, std::to_string(pid)); });
}

spec::Spec load_saved_spec(const state::ContainerDir& dir) {
  std::string f = dir.file("config.json");
  // Checked by create before it was saved: unchanged since (the record's fingerprint), it is
  // only parsed; changed or from another build, it is checked in full again.
  auto saved = dir.read_saved("config.json", json::kSpecBytes);
  return saved.intact ? spec::parse_checked_config(saved.text, f)
                      : spec::parse_config(saved.text, f);
}

Created create_container(const Globals& g, const CreateOptions& o, bool in_process_start) {
  Created c;
  std::string bundle = absolute(o.bundle);
  std::string config_text = linux_::read_file_bounded(bundle + "/config.json", json::kSpecBytes);
  c.spec = spec::parse_config(config_text, "config.json");
  const spec::Spec& s = c.spec;
  NamespacePlan ns = plan_namespaces(s);
  std::string rootfs = rootfs_path(s, bundle);
  bool terminal = s.process->terminal;
  if (terminal && o.console_socket.empty() && !in_process_start) {
    throw Error("config.json: /process/terminal is true: --console-socket is required");
  }

  check_host_support(s);
  check_bind_sources_readable(s, bundle);
  auto seccomp = compile_seccomp(s, g);
  linux_::Fd listener = connect_listener(s, seccomp.get());

  state::Store store(g.root);
  // Before the cgroup is looked at: another container's processes are no reason to warn.
  store.ensure_free(o.id);
  c.cgroup = g.no_cgroup ? cgroups::no_cgroup()
                         : cgroups::open_manager(s.linux_ ? s.linux_->cgroupsPath : "", o.id,
                                                 g.systemd_cgroup, g.rootless);
  cgroups::refuse_host_cgroup(*c.cgroup, "config.json: /linux/cgroupsPath");
  size_t occupants = cgroups::count_occupants(*c.cgroup);
  if (occupants > 0) {
    // runc 1.1's words: it shares the cgroup, and so do we (delete leaves them be).
    warn("container's cgroup is not empty: " + std::to_string(occupants) + " process(es) found");
  }

  // The record exists before anything that needs undoing does: a create killed at any point
  // after this leaves a container that `list` shows and `delete` removes.
  state::Record& r = c.record;
  r.id = o.id;
  r.bundle = bundle;
  r.rootfs = rootfs;
  r.created = now_rfc3339();
  r.owner = owner_name();
  r.cgroup_path = c.cgroup->path();
  for (const auto& h : c.cgroup->hierarchies())
    r.cgroup_dirs.push_back({h.name, h.mountpoint, h.dir});
  r.systemd_cgroup = g.systemd_cgroup;
  r.annotations = s.annotations;
  r.creating = true;
  r.shared_cgroup = occupants > 0;
  c.dir =
      std::make_unique<state::ContainerDir>(store.create(o.id, r, {{"config.json", config_text}}));

  c.cgroup->create();
  CgroupGuard cgroup_guard(c.cgroup.get());
  // Limits and device rules go in before the init exists (on v2 it is cloned into the cgroup).
  c.cgroup->apply(s.linux_ && s.linux_->resources ? *s.linux_->resources : spec::LinuxResources{},
                  "config.json: /linux/resources", false);

  linux_::Fd fifo;
  if (!in_process_start) {
    fifo = with_context("creating the exec fifo", [&] {
      linux_::sys::mkfifo(c.dir->fifo_path().c_str(), 0622);
      // O_RDWR never blocks on a fifo and keeps a reader alive for `start` to write to.
      return linux_::sys::openat(AT_FDCWD, c.dir->fifo_path().c_str(), O_RDWR | O_CLOEXEC);
    });
  }
  StartChannel start_channel = open_start_channel(in_process_start ? nullptr : c.dir.get());
  c.start_result = std::move(start_channel.reader);

  linux_::Fd console, console_peer;
  if (terminal) {
    auto channel = process::open_console_channel(o.console_socket);
    console = std::move(channel.to_container);
    console_peer = std::move(channel.peer);
  }

  linux_::SyncSocket child_end;
  linux_::SyncSocket::pair(c.sync, child_end);

  // The round trip also carries the state JSON the seccomp agent is sent.
  bool has_hooks =
      (s.hooks && (!s.hooks->prestart.empty() || !s.hooks->createRuntime.empty() ||
                   !s.hooks->createContainer.empty() || !s.hooks->startContainer.empty())) ||
      listener.valid();
  InitConfig cfg;
  cfg.spec = &s;
  cfg.id = o.id;
  cfg.bundle = bundle;
  cfg.rootfs = rootfs;
  cfg.ns = ns;
  cfg.sync = &child_end;
  cfg.fifo_fd = fifo.get();
  cfg.result_fd = start_channel.init_end.get();
  cfg.console_fd = console.get();
  cfg.preserve_fds = o.preserve_fds;
  cfg.no_pivot = o.no_pivot;
  cfg.no_new_keyring = o.no_new_keyring;
  cfg.hooks_roundtrip = has_hooks;
  cfg.cgroup = c.cgroup.get();
  cfg.seccomp = seccomp;
  cfg.seccomp_listener = listener.get();

  bool intermediate = ns.joins_any() || (ns.new_flags & CLONE_NEWTIME);
  if (intermediate && in_process_start) {
    // run waits for the init, which the intermediate leaves behind when it exits.
    with_context("becoming the init's subreaper", [] {
      linux_::sys::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0, "PR_SET_CHILD_SUBREAPER");
    });
  }
  linux_::CloneArgs ca;
  if (!intermediate) ca.flags = ns.new_flags & ~static_cast<unsigned long>(CLONE_NEWCGROUP);
  // The child joins the cgroup by CLONE_INTO_CGROUP and by writing to the tasks files it
  // inherits (manager.hpp); the rest, its pid added from here, before its go.
  cgroups::Manager::CloneJoin join = c.cgroup->clone_join();
  ca.cgroup_fd = join.into_fd;
  auto child = with_context(
      "creating the container's init" + std::string(intermediate ? " (its intermediate)" : ""),
      [&] { return linux_::clone3(ca); });
  if (child.pid == 0) {
    linux_::child_main(&child_end, [&] {
      // Dies with a create killed half way (the init drops this once the container is
      // recorded; an intermediate's init sees the sync socket close instead).
      with_context("tying the init to its creator", [] {
        linux_::sys::prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0, "PR_SET_PDEATHSIG");
      });
      with_context("joining the container's cgroup", [&] {
        for (auto& f : join.self_files) linux_::write_all(f.get(), "0", "the cgroup's tasks file");
        join.self_files.clear();
      });
      // The state dir's flock must not outlive this create in the waiting init.
      c.dir->unlock();
      c.sync.close();
      // Nothing else of ours either: the cgroup's directory, fds the caller did not pass on.
      // The init waits in the container's pid namespace, open to a process exec'd there with
      // CAP_SYS_PTRACE (/proc/1/fd), and one that joins a pid namespace is seen at once.
      const int keep[] = {child_end.fd(), cfg.fifo_fd,          cfg.result_fd,
                          cfg.console_fd, cfg.seccomp_listener, g_log_sink.fd};
      linux_::close_fds_except(3 + cfg.preserve_fds, keep);
      if (intermediate) run_intermediate(cfg);
      run_init(cfg);
    });
  }
  ChildGuard guard;
  guard.set(child.pid, child.pidfd.get());
  child_end.close();
  fifo.reset();
  start_channel.init_end.reset();
  console.reset();
  listener.reset();

  join.self_files.clear();
  if (join.add_pid) c.cgroup->add(child.pid);
  pid_t init_pid = child.pid;
  if (!intermediate) record_init(*c.dir, r, init_pid, !in_process_start);
  if (!intermediate && (ns.new_flags & CLONE_NEWUSER)) write_id_maps(child.pid, s);
  c.sync.send(linux_::Msg::kGo);
  if (intermediate) {
    linux_::Message m = c.sync.receive();
    if (m.type == linux_::Msg::kNeedMaps) {
      write_id_maps(child.pid, s);
      c.sync.send(linux_::Msg::kMapsWritten);
      m = c.sync.receive();
    }
    if (m.type == linux_::Msg::kError) throw Error(m.payload);
    if (m.type != linux_::Msg::kInitPid) throw Error("sync protocol: expected the init pid");
    init_pid = std::stoi(m.payload);
    record_init(*c.dir, r, init_pid);
    linux_::sys::waitpid(child.pid, nullptr, 0);
    guard.release();
    c.pidfd = linux_::pidfd_open(init_pid);
    guard.set(init_pid, c.pidfd.get());
    c.sync.send(linux_::Msg::kGo);
  } else {
    c.pidfd = std::move(child.pidfd);
  }

  move_net_devices(s, init_pid);

  PoststopGuard poststop(s, r);
  if (has_hooks) {
    c.sync.expect(linux_::Msg::kRunHooks);
    std::string st = hook_state(r, "creating");
    poststop.arm();
    if (s.hooks) {
      hooks::run_stage(s.hooks->prestart, "prestart", st, true);
      hooks::run_stage(s.hooks->createRuntime, "createRuntime", st, true);
    }
    c.sync.send(linux_::Msg::kHooksDone, hook_state(r, "created"));
  }
  c.sync.expect(linux_::Msg::kReady);
  // The init sent the pty master before it said ready, so this does not block.
  if (console_peer) c.pty_master = process::receive_fd(console_peer.get());

  auto st = linux_::proc_stat(init_pid);
  if (!st) throw Error("the container init exited during setup");
  r.start_time = st->start_time;
  r.creating = false;
  c.dir->save(r);
  if (!o.pid_file.empty()) write_pid_file(o.pid_file, init_pid);
  // The init outlives us only from here: it dropped its parent-death signal when it answers.
  // run's start message (run.cpp) is its commit as well: no round trip here.
  if (!in_process_start) {
    c.sync.send(linux_::Msg::kGo);
    c.sync.expect(linux_::Msg::kReady);
  }
  guard.release();
  cgroup_guard.release();
  poststop.release();
  c.dir->keep();
  return c;
}

}  // namespace hull::container
