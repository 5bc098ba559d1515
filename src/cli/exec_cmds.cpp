// exec, features
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/numbers.hpp"
#include "container/exec.hpp"
#include "container/features.hpp"
#include "spec/ids.hpp"

namespace hull::cli {
namespace {

// One value per occurrence (-e A=1 -e B=2): a vector option would otherwise swallow the
// command that follows it.
template <typename T>
CLI::Option* repeated(CLI::App* sub, const std::string& names, std::vector<T>& into,
                      const std::string& help) {
  return sub->add_option(names, into, help)->allow_extra_args(false);
}

}  // namespace

container::ExecOptions exec_options(const ExecFlags& f) {
  container::ExecOptions o = f.exec;
  if (!o.args.empty() && o.args.front() == "--") o.args.erase(o.args.begin());
  o.preserve_fds = parse_preserve_fds(f.preserve_fds);
  for (const auto& g : f.additional_gids) {
    o.additional_gids.push_back(spec::parse_id(g, "--additional-gids"));
  }
  o.pid_file = absolute_path(o.pid_file);
  o.console_socket = absolute_path(o.console_socket);
  o.process_file = absolute_path(o.process_file);
  return o;
}

void bind_exec(CLI::App* exec, Options& opts) {
  container::ExecOptions& o = opts.exec.exec;
  // As runc: flags come before the id; everything after it is the command, "-c" included.
  exec->positionals_at_end();
  exec->add_option("id", o.id, "container id")->required();
  exec->add_option("command", o.args, "COMMAND [ARGS...] (or --process)");
  exec->add_option("-p,--process", o.process_file, "process.json to run instead of COMMAND");
  // Unset unless given (--tty=false too): the process.json's terminal otherwise.
  exec->add_flag_function(
      "-t,--tty", [&o](int64_t n) { o.tty = n > 0; }, "give the process a pseudo-terminal");
  exec->add_option("--console-socket", o.console_socket,
                   "unix socket that receives the pty master");
  exec->add_flag("-d,--detach", o.detach, "return once the process runs");
  exec->add_option("--pid-file", o.pid_file, "write the process's pid here");
  exec->add_option("--cwd", o.cwd, "working directory inside the container");
  repeated(exec, "-e,--env", o.env, "NAME=VALUE, added to or replacing the config's");
  exec->add_option("-u,--user", o.user, "uid[:gid]");
  repeated(exec, "-g,--additional-gids", opts.exec.additional_gids, "extra group id");
  repeated(exec, "-c,--cap", o.caps, "add a capability");
  exec->add_flag("--no-new-privs", o.no_new_privs, "set no_new_privs");
  exec->add_option("--apparmor", o.apparmor, "AppArmor profile");
  exec->add_option("--process-label", o.process_label, "SELinux label");
  exec->add_option("--preserve-fds", opts.exec.preserve_fds,
                   "pass N more fds (from 3) to the process");
  exec->add_option("--cgroup", o.cgroup, "sub-cgroup of the container's to run in");
}

int exec_command(const Options& o, const container::Globals& g) {
  return container::exec_in_container(g, exec_options(o.exec));
}

int features_command(const Options&, const container::Globals&) {
  std::string text = container::features_json();
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace hull::cli
