// One struct per command: what CLI11 binds the command's flags and arguments into (app.hpp),
// as the user typed them. The handlers (commands.hpp) turn them into container:: requests;
// numbers stay text until then, so that a bad value is an error naming its flag that also
// lands in --log.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "container/exec.hpp"
#include "container/options.hpp"

namespace hull::cli {

struct GlobalFlags {
  std::string root;  // empty: not given (cli/state_root.hpp picks the default)
  std::string log_file;
  std::string log_format = "text";
  bool debug = false;
  bool systemd_cgroup = false;
  std::string cgroup_manager;     // crun's: cgroupfs, systemd or disabled
  std::string rootless = "auto";  // auto, true or false (cli/state_root.hpp)
  std::string criu;               // accepted for runc compatibility
};

struct CreateFlags {                // create; run adds its own
  container::CreateOptions create;  // its preserve_fds is set from the text below
  std::string preserve_fds = "0";
  bool no_subreaper = false;  // accepted for runc compatibility
};

struct RunFlags {
  CreateFlags create;
  bool detach = false;
  bool keep = false;
};

struct StartFlags {
  std::string id;
};

struct KillFlags {
  std::string id;
  std::string signal = "TERM";
  bool all = false;
};

struct DeleteFlags {
  std::string id;
  bool force = false;
};

struct StateFlags {
  std::string id;
};

struct ListFlags {
  std::string format = "table";
  bool quiet = false;
};

struct SpecFlags {
  std::string bundle = ".";
  bool rootless = false;
};

struct PauseFlags {  // pause and resume
  std::string id;
};

struct ExecFlags {
  container::ExecOptions exec;  // its preserve_fds and additional_gids are set from below
  std::string preserve_fds = "0";
  std::vector<std::string> additional_gids;
};

struct UpdateFlags {
  std::string id;
  std::string resources;                      // FILE or - (stdin)
  std::map<std::string, std::string> values;  // the resource flags given, by name (--memory)
};

struct EventsFlags {
  std::string id;
  bool stats = false;
  std::string interval = "5s";
};

struct PsFlags {
  std::string format = "table";
  std::vector<std::string> args;  // the container id, then the host ps's own options
};

// Owned by cli::run: every command's flags, of which the one command given is filled in.
struct Options {
  GlobalFlags global;
  CreateFlags create;
  RunFlags run;
  StartFlags start;
  KillFlags kill;
  DeleteFlags del;
  StateFlags state;
  ListFlags list;
  SpecFlags spec;
  PauseFlags pause, resume;
  ExecFlags exec;
  UpdateFlags update;
  EventsFlags events;
  PsFlags ps;
};

}  // namespace hull::cli
