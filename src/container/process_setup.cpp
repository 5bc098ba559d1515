#include "container/process_setup.hpp"

#include <errno.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "container/start_result.hpp"
#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/argv.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"
#include "linux/procfs.hpp"
#include "linux/signals.hpp"
#include "linux/syscalls.hpp"
#include "process/credentials.hpp"
#include "process/scheduling.hpp"
#include "process/terminal.hpp"
#include "security/capabilities.hpp"
#include "security/lsm.hpp"

namespace hull::container {
namespace {

const spec::LinuxSeccomp* seccomp_of(const ProcessContext& ctx) {
  return ctx.spec->linux_ && ctx.spec->linux_->seccomp ? &*ctx.spec->linux_->seccomp : nullptr;
}

// Loads the filter and hands the notify listener (if any) to the agent at listenerPath.
void load_seccomp(const ProcessContext& ctx) {
  linux_::Fd listener = security::load_seccomp(*ctx.seccomp, "config.json");
  if (!listener) return;
  const auto& sc = *seccomp_of(ctx);
  if (ctx.seccomp_listener < 0) {
    throw Error("config.json: /linux/seccomp/listenerPath: no connection to " + sc.listenerPath);
  }
  std::string msg =
      security::seccomp_notify_state(ctx.container_state, sc.listenerMetadata, "running");
  with_context("config.json: /linux/seccomp/listenerPath: " + sc.listenerPath,
               [&] { process::send_fd(ctx.seccomp_listener, listener.get(), msg); });
  ::close(ctx.seccomp_listener);
}

std::string cwd_of(const spec::Process& p) {
  return p.cwd.empty() ? "/" : p.cwd;
}

// A cwd reached through a magic link (/proc/self/fd/N of an fd the runtime or the caller
// holds) can lie outside the root; the kernel then reports it as unreachable.
void check_cwd_inside(const std::string& source, const std::string& cwd) {
  char buf[4096];
  if (!::getcwd(buf, sizeof(buf))) {
    // A filter that refuses getcwd (only possible on the second try, as the user) leaves
    // nothing to check with; the first try, before any filter, already checked as root.
    if (errno == EPERM || errno == ENOSYS) return;
    throw Error(source + "/cwd: \"" + cwd + "\" leads outside the container's root");
  }
  if (buf[0] != '/') {
    throw Error(source + "/cwd: \"" + cwd + "\" leads outside the container's root");
  }
}

// stdio made for the container belongs to its user, as runc does it (owner only, so a pty
// keeps its tty group): a non-root process can then reopen /dev/stdout or its terminal.
// Pipes, fifos and sockets, and the container's own pty; never a file, a device such as
// /dev/null, or the caller's terminal. An owner this namespace cannot set is left alone.
void give_stdio_to_user(const ProcessContext& ctx) {
  uid_t uid = ctx.process->user.uid;
  for (int fd = 0; fd < 3; ++fd) {
    struct stat st;
    if (::fstat(fd, &st) < 0 || st.st_uid == uid) continue;
    bool own_pty = ctx.process->terminal && S_ISCHR(st.st_mode) && major(st.st_rdev) >= 136 &&
                   major(st.st_rdev) <= 143;
    if (!S_ISFIFO(st.st_mode) && !S_ISSOCK(st.st_mode) && !own_pty) continue;
    if (linux_::kernel().fchown(fd, uid, static_cast<gid_t>(-1)) == 0) continue;
    if (errno == EINVAL || errno == EPERM || errno == EROFS) continue;
    throw Error::sys(ctx.source + "/user/uid: giving stdio fd " + std::to_string(fd) + " to uid " +
                     std::to_string(uid));
  }
}

}  // namespace

ProcessContext process_context(const spec::Spec& s, const spec::Process& p, int preserve_fds,
                               std::shared_ptr<const security::SeccompProgram> seccomp,
                               int seccomp_listener) {
  ProcessContext pc;
  pc.spec = &s;
  pc.process = &p;
  pc.preserve_fds = preserve_fds;
  pc.seccomp = std::move(seccomp);
  pc.seccomp_listener = seccomp_listener;
  return pc;
}

PreparedProcess prepare_process(const ProcessContext& ctx) {
  const spec::Process& p = *ctx.process;
  const spec::Spec& s = *ctx.spec;
  PreparedProcess out;
  // Whatever the caller of hull ignored or blocked (nohup's SIGHUP, a daemon's SIGPIPE, the
  // signals `run` forwards) is not the container's: it starts at the defaults, as under runc.
  linux_::reset_signals();
  if (p.oomScoreAdj && !ctx.oom_score_adj_done) process::set_oom_score_adj(*p.oomScoreAdj);
  out.late_rlimit = process::apply_rlimits(p.rlimits);
  // Raising priorities needs privilege the process may drop below, so these go first.
  if (p.scheduler) process::set_scheduler(*p.scheduler, ctx.source + "/scheduler");
  if (p.ioPriority) process::set_io_priority(*p.ioPriority, ctx.source + "/ioPriority");
  if (s.linux_ && s.linux_->personality) {
    process::set_personality(*s.linux_->personality, "config.json: /linux/personality");
  }
  if (s.linux_ && s.linux_->memoryPolicy) {
    process::set_memory_policy(*s.linux_->memoryPolicy, "config.json: /linux/memoryPolicy");
  }
  if (p.execCPUAffinity) {
    process::set_cpu_affinity(p.execCPUAffinity->final, ctx.source + "/execCPUAffinity/final");
  }

  std::vector<std::string> warnings;
  if (p.capabilities) {
    out.caps =
        security::resolve_capabilities(*p.capabilities, ctx.source + "/capabilities", warnings);
  }
  for (const auto& w : warnings) warn(w);
  give_stdio_to_user(ctx);
  security::apply_bounding(out.caps);
  security::set_keep_caps(true);
  // While still privileged, as runc and crun do: a cwd only root may enter (uid 42 in
  // /root) works. finish_process tries again as the user only when this fails.
  out.cwd_done = linux_::kernel().chdir(cwd_of(p).c_str()) == 0;
  if (out.cwd_done) check_cwd_inside(ctx.source, p.cwd);
  // Everything that needs more than the identity calls happens before the filter can be
  // loaded: a profile need not allow close_range, getcwd, stat or open for hull's sake.
  with_context("closing the descriptors the process does not inherit (3 and up, after " +
                   std::to_string(ctx.preserve_fds) + " preserved)",
               [&] { linux_::cloexec_from(3 + ctx.preserve_fds); });
  out.env = with_context(ctx.source + "/user: HOME from the container's /etc/passwd",
                         [&] { return process::with_home(p.env, p.user.uid); });
  // As root: any execute bit will do here (runc's lookup); execve itself judges the user.
  out.path = process::find_executable(p.args.at(0), p.env);
  return out;
}

void finish_process(const ProcessContext& ctx, PreparedProcess& prepared) {
  if (prepared.finished) return;
  prepared.finished = true;
  const spec::Process& p = *ctx.process;
  // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN, which the user may not keep:
  // load it while the process is still root (runc's order). What follows it is only what
  // runc also does under the filter: the user and capability switch.
  if (ctx.seccomp && !p.noNewPrivileges) load_seccomp(ctx);
  process::set_user(p.user);
  if (!prepared.cwd_done) {
    if (linux_::kernel().chdir(cwd_of(p).c_str()) < 0) {
      throw Error::sys(ctx.source + "/cwd: \"" + cwd_of(p) + "\": neither root nor uid " +
                       std::to_string(p.user.uid) + " can enter it (chdir)");
    }
    check_cwd_inside(ctx.source, p.cwd);
  }
  security::apply_capabilities(prepared.caps);
  security::set_keep_caps(false);
  if (p.noNewPrivileges) security::set_no_new_privileges();
}

void exec_process(const ProcessContext& ctx, PreparedProcess& prepared) {
  const spec::Process& p = *ctx.process;
  auto argv = linux_::c_strings(p.args);
  auto envp = linux_::c_strings(prepared.env);
  try {
    finish_process(ctx, prepared);
    // Labels apply at the next execve, so they are written only now: hooks run earlier
    // must not consume them.
    for (const auto& w : security::exec_label_writes(p, ctx.source)) {
      with_context(w.field, [&] { linux_::write_proc(w.rel, w.content); });
    }
    // A low RLIMIT_NOFILE last, once hull needs no new descriptor (only a seccomp notify
    // listener still would), and before a late filter that might not allow prlimit64.
    if (prepared.late_rlimit) process::apply_late_rlimit(*prepared.late_rlimit);
    if (ctx.seccomp && p.noNewPrivileges) load_seccomp(ctx);
  } catch (const std::exception& e) {
    report_failure(ctx.result_fd, e.what());
  }
  report_exec(ctx.result_fd);
  linux_::kernel().execve(prepared.path.c_str(), argv.data(), envp.data());
  int err = errno;
  report_failure(ctx.result_fd,
                 ctx.source + "/args/0: exec " + prepared.path + ": " + std::strerror(err), 127);
}

}  // namespace hull::container
