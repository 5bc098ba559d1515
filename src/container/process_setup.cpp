#include "container/process_setup.hpp"

#include <unistd.h>

#include <cstring>
#include <vector>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/argv.hpp"
#include "linux/files.hpp"
#include "linux/syscalls.hpp"
#include "process/credentials.hpp"
#include "process/procfs.hpp"
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

// A cwd reached through a magic link (/proc/self/fd/N of an fd the runtime or the caller
// holds) can lie outside the root; the kernel then reports it as unreachable.
void check_cwd_inside(const std::string& source, const std::string& cwd) {
  char buf[4096];
  if (!::getcwd(buf, sizeof(buf)) || buf[0] != '/') {
    throw Error(source + "/cwd: \"" + cwd + "\" leads outside the container's root");
  }
}

}  // namespace

std::string prepare_process(const ProcessContext& ctx) {
  const spec::Process& p = *ctx.process;
  const spec::Spec& s = *ctx.spec;
  security::check_lsm(s, p, ctx.source);
  if (seccomp_of(ctx) && !ctx.seccomp) {
    ctx.seccomp = std::make_shared<const security::SeccompProgram>(
        security::compile_seccomp(*seccomp_of(ctx), "config.json"));
  }
  if (p.oomScoreAdj && !ctx.oom_score_adj_done) process::set_oom_score_adj(*p.oomScoreAdj);
  process::apply_rlimits(p.rlimits);
  // Raising priorities needs privilege the process may drop below, so these go first.
  if (p.scheduler) process::set_scheduler(*p.scheduler, ctx.source + "/scheduler");
  if (p.ioPriority) process::set_io_priority(*p.ioPriority, ctx.source + "/ioPriority");
  if (s.linux_ && s.linux_->personality) {
    process::set_personality(*s.linux_->personality, "config.json: /linux/personality");
  }
  if (s.linux_ && s.linux_->memoryPolicy) {
    process::set_memory_policy(*s.linux_->memoryPolicy, "config.json: /linux/memoryPolicy");
  }

  std::vector<std::string> warnings;
  security::CapSets caps;
  if (p.capabilities) {
    caps = security::resolve_capabilities(*p.capabilities, ctx.source + "/capabilities", warnings);
  }
  for (const auto& w : warnings) warn(w);
  security::apply_bounding(caps);
  security::set_keep_caps(true);
  // Without no_new_privs, loading a filter needs CAP_SYS_ADMIN, which the user may not keep:
  // load it while the process is still root (runc's order); the profile must then allow the
  // few calls that follow.
  if (ctx.seccomp && !p.noNewPrivileges) load_seccomp(ctx);
  ctx.env = with_context(ctx.source + "/user: HOME from the container's /etc/passwd",
                         [&] { return process::with_home(p.env, p.user.uid); });
  process::set_user(p.user);
  if (::chdir(p.cwd.empty() ? "/" : p.cwd.c_str()) < 0) {
    throw Error::sys(ctx.source + "/cwd: chdir to " + p.cwd);
  }
  check_cwd_inside(ctx.source, p.cwd);
  security::apply_capabilities(caps);
  security::set_keep_caps(false);
  if (p.noNewPrivileges) security::set_no_new_privileges();
  if (p.execCPUAffinity) {
    process::set_cpu_affinity(p.execCPUAffinity->final, ctx.source + "/execCPUAffinity/final");
  }
  return process::find_executable(p.args.at(0), p.env);
}

void exec_process(const ProcessContext& ctx, const std::string& path) {
  const spec::Process& p = *ctx.process;
  auto argv = linux_::c_strings(p.args);
  auto envp = linux_::c_strings(ctx.env);
  // Labels apply at the next execve, so they are written only now: hooks run earlier
  // must not consume them.
  for (const auto& w : security::exec_label_writes(p, ctx.source)) {
    with_context(w.field, [&] { process::write_proc(w.rel, w.content); });
  }
  linux_::cloexec_from(3 + ctx.preserve_fds);
  if (ctx.seccomp && p.noNewPrivileges) load_seccomp(ctx);
  ::execve(path.c_str(), argv.data(), envp.data());
  throw Error::sys("exec " + path);
}

}  // namespace hull::container
