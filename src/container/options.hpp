// What the CLI hands to the lifecycle operations.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace hull::container {

struct Globals {
  std::string root = "/run/hull";
  bool systemd_cgroup = false;
  bool no_cgroup = false;  // crun's --cgroup-manager disabled
  bool rootless = false;   // --rootless, auto resolved as runc does (cli/state_root.hpp)
  std::function<void(const std::string&)> debug;  // --debug lines for the log, when set
};

struct CreateOptions {
  std::string id;
  std::string bundle = ".";
  std::string pid_file;
  std::string console_socket;
  bool no_pivot = false;
  bool no_new_keyring = false;
  int preserve_fds = 0;
};

struct RunOptions {
  CreateOptions create;
  bool detach = false;
  bool keep = false;
};

}  // namespace hull::container
