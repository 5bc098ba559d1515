#include "cli/run.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <string_view>

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

// Every command, in the order `hull --help` lists them: its name, alias, help line, flags
// and handler.
struct Command {
  std::string_view name;
  std::string_view alias;  // empty: none
  const char* help;
  void (*bind)(CLI::App* sub, Options& o);  // nullptr: no flags
  Handler handler;
};

const Command kCommands[] = {
    {"create", "", "create a container from a bundle", bind_create, create_command},
    {"run", "", "create and start a container, wait for it", bind_run, run_command},
    {"start", "", "start a created container", bind_start, start_command},
    {"kill", "", "send a signal to the container's init", bind_kill, kill_command},
    {"delete", "", "delete a stopped container", bind_delete, delete_command},
    {"state", "", "print the OCI state of a container", bind_state, state_command},
    {"list", "ls", "list containers", bind_list, list_command},
    {"spec", "", "write a default config.json", bind_spec, spec_command},
    {"pause", "", "freeze every process of a container", bind_pause, pause_command},
    {"resume", "", "thaw a paused container", bind_resume, resume_command},
    {"exec", "", "run a new process in a running container", bind_exec, exec_command},
    {"features", "", "print what this runtime supports (JSON)", nullptr, features_command},
    {"update", "", "change a container's resource limits", bind_update, update_command},
    {"events", "", "print container stats and OOM events as JSON lines", bind_events,
     events_command},
    {"ps", "", "list the processes of a container: ps ID [ps options]", bind_ps, ps_command},
};

const Command* command_named(std::string_view word) {
  for (const auto& c : kCommands) {
    if (word == c.name || (!c.alias.empty() && word == c.alias)) return &c;
  }
  return nullptr;
}

// The command word of argv as CLI11 finds it on an app that has only the global flags: each
// word before it is a global flag CLI11 knows (a flag, --name=value, or --name and the next
// word, which CLI11 takes as the value whatever it is). nullptr where argv is anything else
// (no command, an unknown word or flag, "--", -vh): the caller then binds every command, so
// that CLI11's help and errors are the same as ever.
const Command* command_word(const CLI::App& globals, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (const Command* c = command_named(a)) return c;
    if (a.size() < 2 || a.front() != '-' || a == "--") return nullptr;
    size_t eq = a.find('=');
    bool long_flag = a.starts_with("--");
    if (!long_flag && a.size() != 2) return nullptr;  // -vh, -x5
    const CLI::Option* opt = globals.get_option_no_throw(std::string(a.substr(0, eq)));
    if (opt == nullptr) return nullptr;
    if (opt->get_items_expected_max() == 0) continue;  // a flag (--debug, --debug=false)
    if (opt->get_items_expected_min() != 1 || opt->get_items_expected_max() != 1) return nullptr;
    if (!long_flag || eq == std::string_view::npos) ++i;  // its value is the next word
  }
  return nullptr;
}

void bind_command(CLI::App& app, Options& o, const Command& c) {
  CLI::App* sub = app.add_subcommand(std::string(c.name), c.help);
  if (!c.alias.empty()) sub->alias(std::string(c.alias));
  if (c.bind) c.bind(sub, o);
}

// The command given: opens the log, protects the binary, then runs its handler.
int run_command_line(const std::string& command, char** argv, const Options& o) {
  log_setup(o.global.log_file, o.global.log_format, o.global.debug);
  if (clones_container_processes(command)) {
    linux_::protect_self_exe(argv);
  } else {
    linux_::forget_reexecution();
  }
  Caller caller = current_caller();
  container::Globals g = globals_of(o.global, caller);
  if (o.global.root.empty() && command != "spec" && command != "features") {
    StateRoot root = default_state_root(caller);
    check_state_root_usable(root, caller);
    prepare_state_root(root);
  }
  return handler_of(command)(o, g);
}

}  // namespace

Handler handler_of(std::string_view command) {
  for (const auto& c : kCommands) {
    if (c.name == command) return c.handler;
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

void bind_global_options(CLI::App& app, Options& o) {
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
}

void bind_options(CLI::App& app, Options& o) {
  bind_global_options(app, o);
  for (const auto& c : kCommands) bind_command(app, o, c);
}

void bind_options(CLI::App& app, Options& o, int argc, char** argv) {
  bind_global_options(app, o);
  if (const Command* c = command_word(app, argc, argv)) {
    bind_command(app, o, *c);
    return;
  }
  for (const auto& c : kCommands) bind_command(app, o, c);
}

std::string_view command_of(int argc, char** argv) {
  Options o;
  CLI::App app;
  bind_global_options(app, o);
  const Command* c = command_word(app, argc, argv);
  return c ? c->name : std::string_view();
}

bool clones_container_processes(std::string_view command) {
  return command == "create" || command == "run" || command == "exec";
}

int run(int argc, char** argv) {
  // Never setuid or setgid: a user must not gain through hull what they cannot do without it.
  if (::getuid() != ::geteuid() || ::getgid() != ::getegid()) {
    print_error("refusing to run setuid or setgid (real uid " + std::to_string(::getuid()) +
                ", effective uid " + std::to_string(::geteuid()) + "; real gid " +
                std::to_string(::getgid()) + ", effective gid " + std::to_string(::getegid()) +
                "): remove the set-id bits from the hull binary");
    return 1;
  }
  Options o;
  CLI::App app{"hull: an OCI runtime-spec container runtime", "hull"};
  // Only the command given is built (each command's flags cost instructions and heap).
  bind_options(app, o, argc, argv);
  try {
    app.parse(argc, argv);
    return run_command_line(app.get_subcommands().front()->get_name(), argv, o);
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
