// The commands: each family file binds its subcommands' flags into Options (parsing runs
// nothing) and holds their handlers, which turn the flags into a container:: request and call
// it. The conversions are public so that tests can check each flag without a container.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "cli/options.hpp"
#include "cli/state_root.hpp"
#include "container/events.hpp"
#include "container/exec.hpp"
#include "container/options.hpp"
#include "container/ps.hpp"
#include "container/update.hpp"

namespace hull::cli {

// Registers the global flags and every subcommand on app, bound into o.
void bind_options(CLI::App& app, Options& o);
// The same for argv: the global flags and only the command argv names, where the words before
// it are plain global flags; every command otherwise (no command, an unknown one, odd flags),
// so that CLI11's help and errors are those of the whole command line.
void bind_options(CLI::App& app, Options& o, int argc, char** argv);
void bind_global_options(CLI::App& app, Options& o);
// Each command's own flags and arguments on its subcommand (named by cli/run.cpp's table).
void bind_create(CLI::App* sub, Options& o);  // lifecycle_cmds.cpp
void bind_run(CLI::App* sub, Options& o);
void bind_start(CLI::App* sub, Options& o);
void bind_kill(CLI::App* sub, Options& o);
void bind_delete(CLI::App* sub, Options& o);
void bind_state(CLI::App* sub, Options& o);  // query_cmds.cpp
void bind_list(CLI::App* sub, Options& o);
void bind_spec(CLI::App* sub, Options& o);
void bind_pause(CLI::App* sub, Options& o);
void bind_resume(CLI::App* sub, Options& o);
void bind_exec(CLI::App* sub, Options& o);    // exec_cmds.cpp
void bind_update(CLI::App* sub, Options& o);  // cgroup_cmds.cpp
void bind_events(CLI::App* sub, Options& o);
void bind_ps(CLI::App* sub, Options& o);

// The handlers: each runs its command with the parsed flags and returns the exit code.
using Handler = int (*)(const Options& o, const container::Globals& g);
int create_command(const Options& o, const container::Globals& g);
int run_command(const Options& o, const container::Globals& g);
int start_command(const Options& o, const container::Globals& g);
int kill_command(const Options& o, const container::Globals& g);
int delete_command(const Options& o, const container::Globals& g);
int state_command(const Options& o, const container::Globals& g);
int list_command(const Options& o, const container::Globals& g);
int spec_command(const Options& o, const container::Globals& g);
int pause_command(const Options& o, const container::Globals& g);
int resume_command(const Options& o, const container::Globals& g);
int exec_command(const Options& o, const container::Globals& g);
int features_command(const Options& o, const container::Globals& g);
int update_command(const Options& o, const container::Globals& g);
int events_command(const Options& o, const container::Globals& g);
int ps_command(const Options& o, const container::Globals& g);
// The handler of a subcommand by its name (not an alias); throws for one without a handler.
Handler handler_of(std::string_view command);

// The conversions, each throwing hull::Error that names the flag.
container::Globals globals_of(const GlobalFlags& f);  // for the calling process
container::Globals globals_of(const GlobalFlags& f, const Caller& caller);
container::CreateOptions create_options(const CreateFlags& f);
container::RunOptions run_options(const RunFlags& f);
container::ExecOptions exec_options(const ExecFlags& f);
int kill_signal(const KillFlags& f);
container::UpdateRequest update_request(const UpdateFlags& f);
container::EventsRequest events_request(const EventsFlags& f);
container::PsRequest ps_request(const PsFlags& f);
// "table" or "json" (list and ps); throws naming --format otherwise.
bool json_format(const std::string& format);

// runc resolves --pid-file, --console-socket and --process against the caller's cwd.
std::string absolute_path(const std::string& path);
// --preserve-fds N of create, run and exec.
int parse_preserve_fds(const std::string& text);

}  // namespace hull::cli
