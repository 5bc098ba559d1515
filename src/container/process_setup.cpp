#include "container/process_setup.hpp"

#include <unistd.h>

#include <cstring>
#include <vector>

#include "hull/error.hpp"
#include "linux/argv.hpp"
#include "linux/files.hpp"
#include "linux/syscalls.hpp"
#include "process/credentials.hpp"
#include "security/capabilities.hpp"

namespace hull::container {
void child_warning(const std::string& msg) {
  std::string line = "hull: warning: " + msg + "\n";
  (void)!::write(2, line.data(), line.size());
}

std::string prepare_process(const ProcessContext& ctx) {
  const spec::Process& p = *ctx.process;
  if (p.oomScoreAdj) process::set_oom_score_adj(*p.oomScoreAdj);
  process::apply_rlimits(p.rlimits);

  std::vector<std::string> warnings;
  security::CapSets caps;
  if (p.capabilities) {
    caps = security::resolve_capabilities(*p.capabilities, ctx.source + "/capabilities", warnings);
  }
  for (const auto& w : warnings) child_warning(w);
  security::apply_bounding(caps);
  security::set_keep_caps(true);
  process::set_user(p.user);
  if (::chdir(p.cwd.empty() ? "/" : p.cwd.c_str()) < 0) {
    throw Error::sys(ctx.source + "/cwd: chdir to " + p.cwd);
  }
  security::apply_capabilities(caps);
  security::set_keep_caps(false);
  if (p.noNewPrivileges) security::set_no_new_privileges();
  return process::find_executable(p.args.at(0), p.env);
}

void exec_process(const ProcessContext& ctx, const std::string& path) {
  const spec::Process& p = *ctx.process;
  linux_::cloexec_from(3 + ctx.preserve_fds);
  auto argv = linux_::c_strings(p.args);
  auto env = process::with_home(p.env, p.user.uid);
  auto envp = linux_::c_strings(env);
  ::execve(path.c_str(), argv.data(), envp.data());
  child_warning("exec " + path + ": " + std::strerror(errno));
  ::_exit(127);
}

}  // namespace hull::container
