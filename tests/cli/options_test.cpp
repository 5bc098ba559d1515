// Each command's flags parsed into its options struct and turned into its container::
// request: no root, no container. Bad values are errors that name the flag.
#include "cli/options.hpp"

#include <gtest/gtest.h>
#include <limits.h>
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/run.hpp"
#include "hull/error.hpp"
#include "support/error_of.hpp"

namespace {

using namespace hull::cli;
using std::chrono::milliseconds;

// Parses `hull ARGS...` into a fresh Options; CLI11's ParseError passes through.
Options parse(std::vector<std::string> args) {
  Options o;
  CLI::App app{"test", "hull"};
  bind_options(app, o);
  args.insert(args.begin(), "hull");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return o;
}

// The name of the subcommand that `hull ARGS...` selects.
std::string command_of(std::vector<std::string> args) {
  Options o;
  CLI::App app{"test", "hull"};
  bind_options(app, o);
  args.insert(args.begin(), "hull");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), argv.data());
  return app.get_subcommands().front()->get_name();
}

using hull::test::error_of;

std::string cwd() {
  char buf[PATH_MAX];
  EXPECT_NE(::getcwd(buf, sizeof(buf)), nullptr);
  return buf;
}

TEST(GlobalFlags, DefaultsAreRuncs) {
  auto o = parse({"state", "c1"});
  EXPECT_EQ(o.global.root, "");  // not given: the caller picks (cli/state_root.hpp)
  EXPECT_EQ(o.global.log_file, "");
  EXPECT_EQ(o.global.log_format, "text");
  EXPECT_FALSE(o.global.debug);
  Caller host_root;  // euid 0, initial user namespace
  host_root.xdg_runtime_dir = "/run/user/0";
  auto g = globals_of(o.global, host_root);
  EXPECT_EQ(g.root, "/run/hull");
  EXPECT_FALSE(g.rootless);
  EXPECT_FALSE(g.systemd_cgroup);
  EXPECT_FALSE(g.no_cgroup);
  EXPECT_TRUE(g.debug);  // the log's debug writer, silent unless --debug and --log
}

TEST(GlobalFlags, EveryFlagLandsInItsField) {
  auto o = parse({"--root", "/tmp/r", "--log", "/tmp/l", "--log-format", "json", "--debug",
                  "--systemd-cgroup", "--rootless", "true", "--criu", "/bin/criu", "state", "c1"});
  EXPECT_EQ(o.global.root, "/tmp/r");
  EXPECT_EQ(o.global.log_file, "/tmp/l");
  EXPECT_EQ(o.global.log_format, "json");
  EXPECT_TRUE(o.global.debug);
  EXPECT_TRUE(o.global.systemd_cgroup);
  EXPECT_EQ(o.global.rootless, "true");
  EXPECT_EQ(o.global.criu, "/bin/criu");
  Caller user;
  user.euid = 1000;
  user.xdg_runtime_dir = "/run/user/1000";
  auto g = globals_of(o.global, user);
  EXPECT_EQ(g.root, "/tmp/r");  // --root wins over XDG_RUNTIME_DIR
  EXPECT_TRUE(g.rootless);
  EXPECT_TRUE(g.systemd_cgroup);
}

TEST(GlobalFlags, CgroupManagerIsCrunsFlag) {
  auto g = globals_of(parse({"--cgroup-manager", "systemd", "list"}).global);
  EXPECT_TRUE(g.systemd_cgroup);
  EXPECT_FALSE(g.no_cgroup);
  g = globals_of(parse({"--cgroup-manager", "disabled", "list"}).global);
  EXPECT_FALSE(g.systemd_cgroup);
  EXPECT_TRUE(g.no_cgroup);
  g = globals_of(parse({"--cgroup-manager", "cgroupfs", "list"}).global);
  EXPECT_FALSE(g.systemd_cgroup);
  EXPECT_FALSE(g.no_cgroup);
  auto bad = parse({"--cgroup-manager", "cgmanager", "list"}).global;
  EXPECT_EQ(error_of([&] { globals_of(bad); }),
            "--cgroup-manager: expected cgroupfs, systemd or disabled, got \"cgmanager\"");
}

TEST(CreateFlags, EveryFlagLandsInItsField) {
  auto o = parse({"create", "-b", "/b", "--pid-file", "/p", "--console-socket", "/s", "--no-pivot",
                  "--no-new-keyring", "--preserve-fds", "2", "--no-subreaper", "c1"});
  EXPECT_TRUE(o.create.no_subreaper);
  auto c = create_options(o.create);
  EXPECT_EQ(c.id, "c1");
  EXPECT_EQ(c.bundle, "/b");
  EXPECT_EQ(c.pid_file, "/p");
  EXPECT_EQ(c.console_socket, "/s");
  EXPECT_TRUE(c.no_pivot);
  EXPECT_TRUE(c.no_new_keyring);
  EXPECT_EQ(c.preserve_fds, 2);
}

TEST(CreateFlags, DefaultsAndRelativePaths) {
  auto c = create_options(parse({"create", "--pid-file", "pid", "c1"}).create);
  EXPECT_EQ(c.bundle, ".");
  EXPECT_EQ(c.preserve_fds, 0);
  EXPECT_FALSE(c.no_pivot);
  EXPECT_EQ(c.pid_file, cwd() + "/pid");  // runc resolves it against the caller's cwd
  EXPECT_EQ(c.console_socket, "");        // not given: stays empty
}

TEST(CreateFlags, BadPreserveFdsNamesTheFlag) {
  for (const char* bad : {"-1", "x", "2147483645", "1.5", ""}) {
    auto f = parse({"create", "--preserve-fds", bad, "c1"}).create;
    EXPECT_EQ(error_of([&] { create_options(f); }).rfind("--preserve-fds: invalid value", 0), 0u)
        << bad;
  }
  auto f = parse({"create", "--preserve-fds", "2147483644", "c1"}).create;
  EXPECT_EQ(create_options(f).preserve_fds, INT_MAX - 3);
}

TEST(CreateFlags, IdIsRequired) {
  EXPECT_THROW(parse({"create", "-b", "/b"}), CLI::RequiredError);
  EXPECT_THROW(parse({"create", "--no-such-flag", "c1"}), CLI::ParseError);
}

TEST(RunFlags, CreateFlagsPlusDetachAndKeep) {
  auto o = parse({"run", "-d", "--keep", "-b", "/b", "--preserve-fds", "1", "c1"});
  auto r = run_options(o.run);
  EXPECT_TRUE(r.detach);
  EXPECT_TRUE(r.keep);
  EXPECT_EQ(r.create.id, "c1");
  EXPECT_EQ(r.create.bundle, "/b");
  EXPECT_EQ(r.create.preserve_fds, 1);
  auto plain = run_options(parse({"run", "c1"}).run);
  EXPECT_FALSE(plain.detach);
  EXPECT_FALSE(plain.keep);
  auto bad = parse({"run", "--preserve-fds", "many", "c1"}).run;
  EXPECT_NE(error_of([&] { run_options(bad); }).find("--preserve-fds"), std::string::npos);
}

TEST(StartDeleteStatePauseResume, TheId) {
  EXPECT_EQ(parse({"start", "c1"}).start.id, "c1");
  EXPECT_EQ(parse({"state", "c2"}).state.id, "c2");
  EXPECT_EQ(parse({"pause", "c3"}).pause.id, "c3");
  EXPECT_EQ(parse({"resume", "c4"}).resume.id, "c4");
  auto d = parse({"delete", "c5"}).del;
  EXPECT_EQ(d.id, "c5");
  EXPECT_FALSE(d.force);
  EXPECT_TRUE(parse({"delete", "-f", "c5"}).del.force);
  EXPECT_TRUE(parse({"delete", "--force", "c5"}).del.force);
  for (const char* cmd : {"start", "state", "pause", "resume", "delete"}) {
    EXPECT_THROW(parse({cmd}), CLI::RequiredError) << cmd;
  }
}

TEST(KillFlags, SignalDefaultsToTerm) {
  auto k = parse({"kill", "c1"}).kill;
  EXPECT_EQ(k.id, "c1");
  EXPECT_FALSE(k.all);
  EXPECT_EQ(kill_signal(k), SIGTERM);
  k = parse({"kill", "-a", "c1", "KILL"}).kill;
  EXPECT_TRUE(k.all);
  EXPECT_EQ(kill_signal(k), SIGKILL);
  EXPECT_EQ(kill_signal(parse({"kill", "--all", "c1", "9"}).kill), 9);
}

TEST(KillFlags, BadSignalIsAnErrorNamingIt) {
  auto k = parse({"kill", "c1", "SIGNOPE"}).kill;
  EXPECT_NE(error_of([&] { kill_signal(k); }).find("\"SIGNOPE\""), std::string::npos);
}

TEST(ListFlags, FormatAndQuiet) {
  auto l = parse({"list"}).list;
  EXPECT_EQ(l.format, "table");
  EXPECT_FALSE(l.quiet);
  EXPECT_FALSE(json_format(l.format));
  l = parse({"ls", "-f", "json", "-q"}).list;  // the alias binds the same struct
  EXPECT_TRUE(l.quiet);
  EXPECT_TRUE(json_format(l.format));
  EXPECT_EQ(command_of({"ls"}), "list");
  EXPECT_EQ(error_of([] { json_format("yaml"); }),
            "--format: expected table or json, got \"yaml\"");
}

TEST(SpecFlags, BundleAndRootless) {
  auto s = parse({"spec"}).spec;
  EXPECT_EQ(s.bundle, ".");
  EXPECT_FALSE(s.rootless);
  s = parse({"spec", "-b", "/b", "--rootless"}).spec;
  EXPECT_EQ(s.bundle, "/b");
  EXPECT_TRUE(s.rootless);
}

TEST(ExecFlags, EveryFlagLandsInItsField) {
  auto o = parse({"exec",
                  "-p",
                  "proc.json",
                  "--console-socket",
                  "/s",
                  "-d",
                  "--pid-file",
                  "/p",
                  "--cwd",
                  "/w",
                  "-e",
                  "A=1",
                  "-e",
                  "B=2",
                  "-u",
                  "1:2",
                  "-g",
                  "10",
                  "-g",
                  "20",
                  "-c",
                  "CAP_KILL",
                  "--cap",
                  "CAP_CHOWN",
                  "--no-new-privs",
                  "--apparmor",
                  "aa",
                  "--process-label",
                  "lbl",
                  "--preserve-fds",
                  "3",
                  "--cgroup",
                  "sub",
                  "c1"});
  auto e = exec_options(o.exec);
  EXPECT_EQ(e.id, "c1");
  EXPECT_TRUE(e.args.empty());
  EXPECT_EQ(e.process_file, cwd() + "/proc.json");
  EXPECT_EQ(e.console_socket, "/s");
  EXPECT_TRUE(e.detach);
  EXPECT_EQ(e.pid_file, "/p");
  EXPECT_EQ(e.cwd, "/w");
  EXPECT_EQ(e.env, (std::vector<std::string>{"A=1", "B=2"}));
  EXPECT_EQ(e.user, "1:2");
  EXPECT_EQ(e.additional_gids, (std::vector<uint32_t>{10, 20}));
  EXPECT_EQ(e.caps, (std::vector<std::string>{"CAP_KILL", "CAP_CHOWN"}));
  EXPECT_TRUE(e.no_new_privs);
  EXPECT_EQ(e.apparmor, "aa");
  EXPECT_EQ(e.process_label, "lbl");
  EXPECT_EQ(e.preserve_fds, 3);
  EXPECT_EQ(e.cgroup, "sub");
  EXPECT_FALSE(e.tty.has_value());
}

TEST(ExecFlags, EverythingAfterTheIdIsTheCommand) {
  auto e = exec_options(parse({"exec", "-e", "A=1", "c1", "sh", "-c", "echo -e hi"}).exec);
  EXPECT_EQ(e.id, "c1");
  EXPECT_EQ(e.args, (std::vector<std::string>{"sh", "-c", "echo -e hi"}));
  EXPECT_EQ(e.env, (std::vector<std::string>{"A=1"}));
  // A leading "--" is dropped
  e = exec_options(parse({"exec", "c1", "--", "ls", "-l"}).exec);
  EXPECT_EQ(e.args, (std::vector<std::string>{"ls", "-l"}));
}

TEST(ExecFlags, TtyIsUnsetUnlessGiven) {
  EXPECT_FALSE(exec_options(parse({"exec", "c1", "true"}).exec).tty.has_value());
  EXPECT_EQ(exec_options(parse({"exec", "-t", "c1", "true"}).exec).tty, true);
  EXPECT_EQ(exec_options(parse({"exec", "--tty", "c1", "true"}).exec).tty, true);
  EXPECT_EQ(exec_options(parse({"exec", "--tty=false", "c1", "true"}).exec).tty, false);
}

TEST(ExecFlags, BadValuesNameTheFlag) {
  auto f = parse({"exec", "-g", "-5", "c1", "true"}).exec;
  EXPECT_NE(error_of([&] { exec_options(f); }).find("--additional-gids"), std::string::npos);
  f = parse({"exec", "-g", "4294967295", "c1", "true"}).exec;
  EXPECT_NE(error_of([&] { exec_options(f); }).find("--additional-gids"), std::string::npos);
  f = parse({"exec", "--preserve-fds", "-1", "c1", "true"}).exec;
  EXPECT_EQ(error_of([&] { exec_options(f); }).rfind("--preserve-fds: invalid value \"-1\"", 0),
            0u);
  EXPECT_THROW(parse({"exec"}), CLI::RequiredError);
}

TEST(UpdateFlags, OnlyTheFlagsGivenAreSet) {
  auto u = parse({"update", "--memory", "512m", "--cpu-quota", "-1", "--cpu-share", "1024",
                  "--cpuset-cpus", "0-1", "--pids-limit", "-1", "--blkio-weight", "500", "c1"})
               .update;
  EXPECT_EQ(u.values.size(), 6u);
  auto r = update_request(u);
  EXPECT_EQ(r.id, "c1");
  EXPECT_EQ(r.resources_file, "");
  EXPECT_EQ(r.flags.memory, int64_t{512} << 20);
  EXPECT_EQ(r.flags.cpu_quota, -1);
  EXPECT_EQ(r.flags.cpu_shares, 1024u);
  EXPECT_EQ(r.flags.cpuset_cpus, "0-1");
  EXPECT_EQ(r.flags.pids_limit, -1);
  EXPECT_EQ(r.flags.blkio_weight, 500);
  EXPECT_FALSE(r.flags.memory_swap.has_value());
  EXPECT_FALSE(r.flags.cpu_period.has_value());
  EXPECT_FALSE(r.flags.cpuset_mems.has_value());
}

TEST(UpdateFlags, EveryRuncFlagIsAccepted) {
  auto u = parse({"update", "--memory",
                  "1",      "--memory-reservation",
                  "1",      "--memory-swap",
                  "1",      "--kernel-memory",
                  "1",      "--kernel-memory-tcp",
                  "1",      "--cpu-share",
                  "1",      "--cpu-period",
                  "1",      "--cpu-quota",
                  "1",      "--cpu-burst",
                  "1",      "--cpu-rt-period",
                  "1",      "--cpu-rt-runtime",
                  "1",      "--cpu-idle",
                  "1",      "--cpuset-cpus",
                  "1",      "--cpuset-mems",
                  "1",      "--pids-limit",
                  "1",      "--blkio-weight",
                  "10",     "c1"})
               .update;
  EXPECT_EQ(u.values.size(), 16u);
  auto f = update_request(u).flags;
  EXPECT_EQ(f.memory_reservation, 1);
  EXPECT_EQ(f.kernel_memory_tcp, 1);
  EXPECT_EQ(f.cpu_burst, 1u);
  EXPECT_EQ(f.cpu_rt_runtime, 1);
  EXPECT_EQ(f.cpu_idle, 1);
  EXPECT_EQ(f.cpuset_mems, "1");
}

TEST(UpdateFlags, BadValuesNameTheFlag) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"--memory", "12q"},        {"--memory-swap", "lots"}, {"--cpu-share", "-1"},
      {"--cpu-quota", "1.5"},     {"--cpu-idle", "2"},       {"--blkio-weight", "5"},
      {"--blkio-weight", "1001"}, {"--pids-limit", "x"},     {"--cpu-period", ""},
  };
  for (const auto& [flag, value] : bad) {
    auto u = parse({"update", flag, value, "c1"}).update;
    EXPECT_EQ(error_of([&] { update_request(u); }).rfind(flag + ": invalid value", 0), 0u)
        << flag << " " << value;
  }
}

TEST(UpdateFlags, TheResourcesDocumentWinsOverFlags) {
  auto u = parse({"update", "-r", "-", "--memory", "not-a-size", "c1"}).update;
  auto r = update_request(u);  // the bad flag is ignored, as runc ignores it
  EXPECT_EQ(r.resources_file, "-");
  EXPECT_FALSE(r.flags.memory.has_value());
  EXPECT_EQ(update_request(parse({"update", "--resources", "/r.json", "c1"}).update).resources_file,
            "/r.json");
}

TEST(EventsFlags, StatsAndInterval) {
  auto r = events_request(parse({"events", "c1"}).events);
  EXPECT_EQ(r.id, "c1");
  EXPECT_FALSE(r.stats_once);
  EXPECT_EQ(r.interval, milliseconds(5000));
  r = events_request(parse({"events", "--stats", "--interval", "250ms", "c1"}).events);
  EXPECT_TRUE(r.stats_once);
  EXPECT_EQ(r.interval, milliseconds(250));
  for (const char* bad : {"0s", "5x", "-1s", ""}) {
    auto f = parse({"events", "--interval", bad, "c1"}).events;
    EXPECT_EQ(error_of([&] { events_request(f); }).rfind("--interval: invalid value", 0), 0u)
        << bad;
  }
}

TEST(PsFlags, TheIdAndPsOwnOptions) {
  auto r = ps_request(parse({"ps", "c1"}).ps);
  EXPECT_EQ(r.id, "c1");
  EXPECT_EQ(r.format, hull::container::PsFormat::kTable);
  EXPECT_TRUE(r.ps_args.empty());
  // Everything after the id is ps's, flags that hull's ps has too included.
  r = ps_request(parse({"ps", "c1", "-f", "-e", "--format", "json"}).ps);
  EXPECT_EQ(r.id, "c1");
  EXPECT_EQ(r.format, hull::container::PsFormat::kTable);
  EXPECT_EQ(r.ps_args, (std::vector<std::string>{"-f", "-e", "--format", "json"}));
  r = ps_request(parse({"ps", "-f", "json", "c1"}).ps);
  EXPECT_EQ(r.format, hull::container::PsFormat::kJson);
  EXPECT_TRUE(r.ps_args.empty());
}

TEST(PsFlags, MissingIdAndBadFormat) {
  auto f = parse({"ps"}).ps;
  EXPECT_EQ(error_of([&] { ps_request(f); }), "ps: missing the container id");
  f = parse({"ps", "--format", "yaml", "c1"}).ps;
  EXPECT_EQ(error_of([&] { ps_request(f); }), "--format: expected table or json, got \"yaml\"");
}

TEST(Commands, EverySubcommandHasAHandler) {
  Options o;
  CLI::App app{"test", "hull"};
  bind_options(app, o);
  auto subs = app.get_subcommands([](const CLI::App*) { return true; });
  EXPECT_EQ(subs.size(), 15u);
  for (const auto* sub : subs) {
    EXPECT_NE(handler_of(sub->get_name()), nullptr) << sub->get_name();
  }
  EXPECT_EQ(error_of([] { handler_of("checkpoint"); }),
            "no handler for the command \"checkpoint\"");
}

TEST(Commands, ACommandIsRequired) {
  EXPECT_THROW(parse({}), CLI::RequiredError);
  EXPECT_THROW(parse({"--root", "/r"}), CLI::RequiredError);
  EXPECT_THROW(parse({"checkpoint", "c1"}), CLI::ParseError);
}

// command_of for `ARGS...` (argv[0] included).
std::string command_word(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return std::string(hull::cli::command_of(static_cast<int>(args.size()), argv.data()));
}

TEST(CommandOf, TheWordAfterTheGlobalFlags) {
  EXPECT_EQ(command_word({"hull", "create", "-b", "x", "id"}), "create");
  EXPECT_EQ(command_word({"hull", "run", "id"}), "run");
  EXPECT_EQ(command_word({"hull", "exec", "id", "sh"}), "exec");
  EXPECT_EQ(command_word({"hull", "state", "run"}), "state");
  EXPECT_EQ(command_word({"hull", "start", "exec"}), "start");
  EXPECT_EQ(command_word({"hull", "ls", "-q"}), "list");
  EXPECT_EQ(command_word({"hull"}), "");
  EXPECT_EQ(command_word({"hull", "--version"}), "");
}

TEST(CommandOf, GlobalOptionValuesAreNotTakenForTheCommand) {
  EXPECT_EQ(command_word({"hull", "--root", "run", "state", "x"}), "state");
  EXPECT_EQ(command_word({"hull", "--log", "exec", "list"}), "list");
  EXPECT_EQ(command_word({"hull", "--root", "/r", "--log", "/l", "--log-format", "json", "--debug",
                          "--systemd-cgroup", "create", "x"}),
            "create");
  EXPECT_EQ(command_word({"hull", "--root=/r", "--log-format=json", "run", "x"}), "run");
  EXPECT_EQ(command_word({"hull", "--rootless", "false", "--criu", "c", "exec", "x", "y"}), "exec");
  // The scanner in linux/self_exe.cpp this replaces took "cgroupfs" for the command here, and
  // so ran create without re-executing from the protected binary.
  EXPECT_EQ(command_word({"hull", "--cgroup-manager", "cgroupfs", "create", "x"}), "create");
  EXPECT_EQ(command_word({"hull", "--debug=true", "-h", "exec", "x"}), "exec");
}

TEST(CommandOf, AnythingElseIsLeftToTheWholeParse) {
  EXPECT_EQ(command_word({"hull", "--", "create", "x"}), "");
  EXPECT_EQ(command_word({"hull", "--bogus", "create", "x"}), "");
  EXPECT_EQ(command_word({"hull", "-vh", "create", "x"}), "");
  EXPECT_EQ(command_word({"hull", "checkpoint", "create"}), "");
  EXPECT_EQ(command_word({"hull", "", "create"}), "");
  EXPECT_EQ(command_word({"hull", "-", "create"}), "");
}

TEST(Commands, OnlyCreateRunAndExecCloneContainerProcesses) {
  EXPECT_TRUE(clones_container_processes("create"));
  EXPECT_TRUE(clones_container_processes("run"));
  EXPECT_TRUE(clones_container_processes("exec"));
  for (const char* c : {"start", "state", "list", "ls", "kill", "delete", "ps", "update", ""}) {
    EXPECT_FALSE(clones_container_processes(c)) << c;
  }
}

// bind_options for argv: the names of the subcommands it builds; parse_too also parses argv.
std::vector<std::string> built_for(std::vector<std::string> args, Options& o,
                                   bool parse_too = true) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  CLI::App app{"test", "hull"};
  bind_options(app, o, static_cast<int>(args.size()), argv.data());
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
  }
  if (parse_too) app.parse(static_cast<int>(args.size()), argv.data());
  return names;
}

TEST(Commands, OnlyTheCommandGivenIsBuilt) {
  Options o;
  EXPECT_EQ(built_for({"hull", "--root", "/r", "kill", "-a", "c1", "KILL"}, o),
            std::vector<std::string>{"kill"});
  EXPECT_EQ(o.global.root, "/r");
  EXPECT_EQ(o.kill.id, "c1");
  EXPECT_EQ(o.kill.signal, "KILL");
  EXPECT_TRUE(o.kill.all);
  Options l;
  EXPECT_EQ(built_for({"hull", "ls", "-q"}, l), std::vector<std::string>{"list"});
  EXPECT_TRUE(l.list.quiet);
}

TEST(Commands, WithoutAPlainCommandWordEveryCommandIsBuilt) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"hull"}, {"hull", "--help"}, {"hull", "checkpoint", "c1"}, {"hull", "--", "create"}}) {
    Options o;
    EXPECT_EQ(built_for(args, o, false).size(), 15u) << args.back();
  }
}

}  // namespace
