// create, start, run, kill, delete
#include <limits.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/numbers.hpp"
#include "container/create.hpp"
#include "container/lifecycle.hpp"
#include "container/run.hpp"
#include "hull/error.hpp"

namespace hull::cli {
namespace {

void bind_create_flags(CLI::App* sub, CreateFlags& f) {
  container::CreateOptions& o = f.create;
  sub->add_option("id", o.id, "container id")->required();
  sub->add_option("-b,--bundle", o.bundle, "bundle directory")->capture_default_str();
  sub->add_option("--pid-file", o.pid_file, "write the init's pid here");
  sub->add_option("--console-socket", o.console_socket, "unix socket that receives the pty master");
  sub->add_flag("--no-pivot", o.no_pivot, "use MS_MOVE + chroot instead of pivot_root");
  sub->add_flag("--no-new-keyring", o.no_new_keyring, "keep the caller's session keyring");
  sub->add_option("--preserve-fds", f.preserve_fds, "pass N more fds (from 3) to the container");
}

void bind_no_subreaper(CLI::App* sub, CreateFlags& f) {
  sub->add_flag("--no-subreaper", f.no_subreaper, "accepted for runc compatibility");
}

}  // namespace

int parse_preserve_fds(const std::string& text) {
  // fd 3 + N - 1 must still be an int; a negative count would strip stdio.
  return static_cast<int>(parse_int(text, "--preserve-fds", 0, INT_MAX - 3));
}

std::string absolute_path(const std::string& p) {
  if (p.empty() || p.front() == '/') return p;
  char cwd[PATH_MAX];
  if (!::getcwd(cwd, sizeof(cwd))) throw Error::sys("getcwd");
  return std::string(cwd) + "/" + p;
}

container::CreateOptions create_options(const CreateFlags& f) {
  container::CreateOptions o = f.create;
  o.preserve_fds = parse_preserve_fds(f.preserve_fds);
  o.pid_file = absolute_path(o.pid_file);
  o.console_socket = absolute_path(o.console_socket);
  return o;
}

container::RunOptions run_options(const RunFlags& f) {
  return {create_options(f.create), f.detach, f.keep};
}

int kill_signal(const KillFlags& f) {
  return parse_signal(f.signal);
}

void bind_create(CLI::App* sub, Options& o) {
  bind_create_flags(sub, o.create);
  bind_no_subreaper(sub, o.create);
}

void bind_run(CLI::App* sub, Options& o) {
  bind_create_flags(sub, o.run.create);
  sub->add_flag("-d,--detach", o.run.detach, "return once the container runs");
  sub->add_flag("--keep", o.run.keep, "keep the container's state after it exits");
  bind_no_subreaper(sub, o.run.create);
}

void bind_start(CLI::App* sub, Options& o) {
  sub->add_option("id", o.start.id, "container id")->required();
}

void bind_kill(CLI::App* sub, Options& o) {
  sub->add_option("id", o.kill.id, "container id")->required();
  sub->add_option("signal", o.kill.signal, "name (TERM, SIGTERM) or number")->capture_default_str();
  sub->add_flag("-a,--all", o.kill.all, "signal every process in the container's cgroup");
}

void bind_delete(CLI::App* sub, Options& o) {
  sub->add_option("id", o.del.id, "container id")->required();
  sub->add_flag("-f,--force", o.del.force, "kill a running container first");
}

int create_command(const Options& o, const container::Globals& g) {
  container::create_container(g, create_options(o.create), false);
  return 0;
}

int run_command(const Options& o, const container::Globals& g) {
  return container::run_container(g, run_options(o.run));
}

int start_command(const Options& o, const container::Globals& g) {
  container::start_container(g, o.start.id);
  return 0;
}

int kill_command(const Options& o, const container::Globals& g) {
  container::kill_container(g, o.kill.id, kill_signal(o.kill), o.kill.all);
  return 0;
}

int delete_command(const Options& o, const container::Globals& g) {
  container::delete_container(g, o.del.id, o.del.force);
  return 0;
}

}  // namespace hull::cli
