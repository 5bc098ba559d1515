// create, start, run, kill, delete
#include <limits.h>
#include <stdlib.h>

#include "cli/commands.hpp"
#include "cli/numbers.hpp"
#include "container/create.hpp"
#include "container/lifecycle.hpp"
#include "container/run.hpp"
#include "hull/error.hpp"

namespace hull::cli {
namespace {

// --preserve-fds as text, parsed when the command runs.
std::string preserve_fds_text = "0";

void add_create_flags(CLI::App* sub, container::CreateOptions& o) {
  sub->add_option("id", o.id, "container id")->required();
  sub->add_option("-b,--bundle", o.bundle, "bundle directory")->capture_default_str();
  sub->add_option("--pid-file", o.pid_file, "write the init's pid here");
  sub->add_option("--console-socket", o.console_socket, "unix socket that receives the pty master");
  sub->add_flag("--no-pivot", o.no_pivot, "use MS_MOVE + chroot instead of pivot_root");
  sub->add_flag("--no-new-keyring", o.no_new_keyring, "keep the caller's session keyring");
  sub->add_option("--preserve-fds", preserve_fds_text, "pass N more fds (from 3) to the container");
}

// Resolves the paths against the caller's cwd and parses the numbers.
void finish(container::CreateOptions& o) {
  o.preserve_fds = parse_preserve_fds(preserve_fds_text);
  o.pid_file = absolute_path(o.pid_file);
  o.console_socket = absolute_path(o.console_socket);
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

void add_lifecycle_commands(CLI::App& app, Context& ctx) {
  static container::CreateOptions create_opts;
  auto* create = app.add_subcommand("create", "create a container from a bundle");
  add_create_flags(create, create_opts);
  // Static: CLI11 writes it while parsing, after this function has returned.
  static bool no_subreaper = false;
  create->add_flag("--no-subreaper", no_subreaper, "accepted for runc compatibility");
  create->callback(command(ctx, [&ctx] {
    finish(create_opts);
    container::create_container(ctx.globals, create_opts, false);
  }));

  static container::RunOptions run_opts;
  auto* run = app.add_subcommand("run", "create and start a container, wait for it");
  add_create_flags(run, run_opts.create);
  run->add_flag("-d,--detach", run_opts.detach, "return once the container runs");
  run->add_flag("--keep", run_opts.keep, "keep the container's state after it exits");
  run->add_flag("--no-subreaper", no_subreaper, "accepted for runc compatibility");
  run->callback(command(ctx, [&ctx] {
    finish(run_opts.create);
    ctx.exit_code = container::run_container(ctx.globals, run_opts);
  }));

  static std::string id;
  auto* start = app.add_subcommand("start", "start a created container");
  start->add_option("id", id, "container id")->required();
  start->callback(command(ctx, [&ctx] { container::start_container(ctx.globals, id); }));

  static std::string signal = "TERM";
  static bool all = false;
  auto* kill = app.add_subcommand("kill", "send a signal to the container's init");
  kill->add_option("id", id, "container id")->required();
  kill->add_option("signal", signal, "name (TERM, SIGTERM) or number")->capture_default_str();
  kill->add_flag("-a,--all", all, "signal every process in the container's cgroup");
  kill->callback(command(
      ctx, [&ctx] { container::kill_container(ctx.globals, id, parse_signal(signal), all); }));

  static bool force = false;
  auto* del = app.add_subcommand("delete", "delete a stopped container");
  del->add_option("id", id, "container id")->required();
  del->add_flag("-f,--force", force, "kill a running container first");
  del->callback(command(ctx, [&ctx] { container::delete_container(ctx.globals, id, force); }));
}

}  // namespace hull::cli
