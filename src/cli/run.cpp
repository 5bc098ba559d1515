#include "cli/run.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string_view>
#include <utility>

#include "cli/commands.hpp"
#include "cli/log.hpp"
#include "cli/state_root.hpp"
#include "hull/error.hpp"
#include "linux/self_exe.hpp"

namespace hull::cli {
namespace {

void print_error(const std::string& msg) {
  std::string line = "hull: " + msg + "\n";
  (void)!::write(2, line.data(), line.size());
}

const std::pair<std::string_view, Handler> kHandlers[] = {
    {"create", create_command}, {"run", run_command},       {"start", start_command},
    {"kill", kill_command},     {"delete", delete_command}, {"state", state_command},
    {"list", list_command},     {"spec", spec_command},     {"pause", pause_command},
    {"resume", resume_command}, {"exec", exec_command},     {"features", features_command},
    {"update", update_command}, {"events", events_command}, {"ps", ps_command},
};

// The command given: opens the log, then runs its handler.
int run_command_line(const CLI::App& app, const Options& o) {
  log_setup(o.global.log_file, o.global.log_format, o.global.debug);
  Caller caller = current_caller();
  container::Globals g = globals_of(o.global, caller);
  std::string command = app.get_subcommands().front()->get_name();
  if (o.global.root.empty() && command != "spec" && command != "features") {
    StateRoot root = default_state_root(caller);
    check_state_root_usable(root, caller);
    prepare_state_root(root);
  }
  return handler_of(app.get_subcommands().front()->get_name())(o, g);
}

}  // namespace

Handler handler_of(std::string_view command) {
  for (const auto& [name, handler] : kHandlers) {
    if (name == command) return handler;
  }
  throw Error("no handler for the command \"" + std::string(command) + "\"");
}

container::Globals globals_of(const GlobalFlags& f) {
  return globals_of(f, current_caller());
}

container::Globals globals_of(const GlobalFlags& f, const Caller& caller) {
  container::Globals g;
  g.root = f.root.empty() ? default_state_root(caller).path : f.root;
  g.systemd_cgroup = f.systemd_cgroup;
  g.debug = log_debug;
  // crun's global flag: systemd is --systemd-cgroup, disabled runs without any cgroup.
  const std::string& m = f.cgroup_manager;
  if (m == "systemd") {
    g.systemd_cgroup = true;
  } else if (m == "disabled") {
    g.no_cgroup = true;
  } else if (!m.empty() && m != "cgroupfs") {
    throw Error("--cgroup-manager: expected cgroupfs, systemd or disabled, got \"" + m + "\"");
  }
  g.rootless = rootless_of(f.rootless, caller, g.systemd_cgroup);
  return g;
}

void bind_options(CLI::App& app, Options& o) {
  app.require_subcommand(1);
  app.set_version_flag("-v,--version",
                       std::string("hull version ") + HULL_VERSION + "\nspec: 1.2.0");
  GlobalFlags& g = o.global;
  app.add_option("--root", g.root,
                 "state directory (default: /run/hull; $XDG_RUNTIME_DIR/hull when not root)");
  app.add_option("--log", g.log_file, "log file (default: none)");
  app.add_option("--log-format", g.log_format, "text or json")->capture_default_str();
  app.add_flag("--debug", g.debug, "log debug messages");
  app.add_flag("--systemd-cgroup", g.systemd_cgroup, "cgroupsPath is slice:prefix:name");
  app.add_option("--rootless", g.rootless, "rootless cgroup rules: auto, true or false")
      ->capture_default_str();
  app.add_option("--criu", g.criu, "accepted for runc compatibility");
  app.add_option("--cgroup-manager", g.cgroup_manager, "crun's: cgroupfs, systemd or disabled");
  bind_lifecycle_commands(app, o);
  bind_query_commands(app, o);
  bind_exec_commands(app, o);
  bind_cgroup_commands(app, o);
}

int run(int argc, char** argv) {
  try {
    linux_::protect_self_exe(argc, argv);
  } catch (const Error& e) {
    print_error(e.message());
    return 1;
  }
  Options o;
  CLI::App app{"hull: an OCI runtime-spec container runtime", "hull"};
  bind_options(app, o);
  try {
    app.parse(argc, argv);
    return run_command_line(app, o);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help or version, which succeed); a usage error exits
    // 1 as runc's does, not with CLI11's own code (106, 109, ...).
    return app.exit(e) == 0 ? 0 : 1;
  } catch (const Error& e) {
    log_error(e.message());
    print_error(e.message());
    return 1;
  } catch (const std::exception& e) {
    log_error(e.what());
    print_error(e.what());
    return 1;
  }
}

}  // namespace hull::cli
