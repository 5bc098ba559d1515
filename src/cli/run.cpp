#include "cli/run.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/log.hpp"
#include "hull/error.hpp"
#include "linux/self_exe.hpp"

namespace hull::cli {
namespace {

void print_error(const std::string& msg) {
  std::string line = "hull: " + msg + "\n";
  (void)!::write(2, line.data(), line.size());
}

// crun's global flag: systemd is --systemd-cgroup, disabled runs without any cgroup.
void set_cgroup_manager(const std::string& m, container::Globals& g) {
  if (m.empty() || m == "cgroupfs") return;
  if (m == "systemd") {
    g.systemd_cgroup = true;
  } else if (m == "disabled") {
    g.no_cgroup = true;
  } else {
    throw Error("--cgroup-manager: expected cgroupfs, systemd or disabled, got \"" + m + "\"");
  }
}

}  // namespace

int run(int argc, char** argv) {
  try {
    linux_::protect_self_exe(argc, argv);
  } catch (const Error& e) {
    print_error(e.message());
    return 1;
  }
  Context ctx;
  CLI::App app{"hull: an OCI runtime-spec container runtime", "hull"};
  app.require_subcommand(1);
  app.set_version_flag("-v,--version",
                       std::string("hull version ") + HULL_VERSION + "\nspec: 1.2.0");
  std::string log_file, log_format = "text", rootless = "auto", criu;
  bool debug = false;
  app.add_option("--root", ctx.globals.root, "state directory")->capture_default_str();
  app.add_option("--log", log_file, "log file (default: none)");
  app.add_option("--log-format", log_format, "text or json")->capture_default_str();
  app.add_flag("--debug", debug, "log debug messages");
  app.add_flag("--systemd-cgroup", ctx.globals.systemd_cgroup, "cgroupsPath is slice:prefix:name");
  app.add_option("--rootless", rootless, "accepted for runc compatibility");
  app.add_option("--criu", criu, "accepted for runc compatibility");
  std::string cgroup_manager;
  app.add_option("--cgroup-manager", cgroup_manager, "crun's: cgroupfs, systemd or disabled");

  ctx.prepare = [&] {
    log_setup(log_file, log_format, debug);
    set_cgroup_manager(cgroup_manager, ctx.globals);
  };
  ctx.globals.debug = log_debug;
  add_lifecycle_commands(app, ctx);
  add_query_commands(app, ctx);
  add_exec_commands(app, ctx);
  add_cgroup_commands(app, ctx);

  try {
    app.parse(argc, argv);
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
  return ctx.exit_code;
}

}  // namespace hull::cli
