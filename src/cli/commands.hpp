// Each file registers its subcommands on the app; the callback runs the command and sets the
// exit code.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "container/options.hpp"

namespace hull::cli {

struct Context {
  container::Globals globals;
  int exit_code = 0;
  std::function<void()> prepare;  // opens the log once the global flags are known
};

// Makes a subcommand's callback: prepares the context, then runs body.
template <typename F>
std::function<void()> command(Context& ctx, F body) {
  return [&ctx, body] {
    if (ctx.prepare) ctx.prepare();
    body();
  };
}

void add_lifecycle_commands(CLI::App& app, Context& ctx);  // create start run kill delete
void add_query_commands(CLI::App& app, Context& ctx);      // state list spec pause resume
void add_cgroup_commands(CLI::App& app, Context& ctx);     // update events ps
void add_exec_commands(CLI::App& app, Context& ctx);       // exec features

// runc resolves --pid-file, --console-socket and --process against the caller's cwd.
std::string absolute_path(const std::string& path);
// --preserve-fds N of create, run and exec.
int parse_preserve_fds(const std::string& text);

}  // namespace hull::cli
