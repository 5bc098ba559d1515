#include "cli/state_root.hpp"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <cstdlib>

#include "hull/error.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"
#include "linux/proc.hpp"

namespace hull::cli {
namespace {

std::optional<std::string> env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

// The initial user namespace maps every id: "0 0 4294967295".
}  // namespace

Caller current_caller() {
  Caller c;
  c.euid = ::geteuid();
  c.in_userns = linux_::in_child_user_namespace();
  c.xdg_runtime_dir = env("XDG_RUNTIME_DIR");
  c.user = env("USER");
  return c;
}

StateRoot default_state_root(const Caller& c) {
  bool honour = false;
  if (c.xdg_runtime_dir) {
    // root of the host keeps /run/hull even with XDG_RUNTIME_DIR=/run/user/0; root of a
    // user namespace (rootless podman) uses it unless it says it is the real root.
    honour = c.euid != 0 || (c.in_userns && c.user.value_or("") != "root");
  }
  if (!honour) return {kSystemStateRoot, false};
  return {*c.xdg_runtime_dir + "/hull", true};
}

bool rootless_of(const std::string& flag, const Caller& c, bool systemd_cgroup) {
  if (flag == "true" || flag == "1" || flag == "t" || flag == "T" || flag == "TRUE" ||
      flag == "True") {
    return true;
  }
  if (flag == "false" || flag == "0" || flag == "f" || flag == "F" || flag == "FALSE" ||
      flag == "False") {
    return false;
  }
  if (!flag.empty() && flag != "auto") {
    throw Error("--rootless: expected true, false or auto, got \"" + flag + "\"");
  }
  if (c.euid != 0) return true;
  if (!c.in_userns) return false;
  // root of a user namespace: a systemd there is taken to be root's (runc asks the bus and
  // assumes root when it cannot); with cgroupfs the rootless rules are the safe ones.
  return !systemd_cgroup;
}

void prepare_state_root(const StateRoot& r) {
  if (!r.xdg_used) return;
  with_context("state root " + r.path, [&] {
    linux_::mkdir_p(r.path, 0700);
    if (linux_::kernel().fchmodat(AT_FDCWD, r.path.c_str(), 01700, 0) < 0) {
      throw Error::sys("chmod");
    }
  });
}

void check_state_root_usable(const StateRoot& r, const Caller& c) {
  if (c.euid == 0 || r.xdg_used) return;
  // Usable when it exists and is ours to write, or could be made in a parent that is.
  std::string probe = r.path;
  if (::access(probe.c_str(), F_OK) != 0) probe = probe.substr(0, probe.find_last_of('/'));
  if (probe.empty()) probe = "/";
  if (::access(probe.c_str(), W_OK | X_OK) == 0) return;
  throw Error("state root " + r.path + ": " + ::strerror(errno) + " for uid " +
              std::to_string(c.euid) +
              " (not root and XDG_RUNTIME_DIR is not set: set XDG_RUNTIME_DIR, and the state "
              "goes to $XDG_RUNTIME_DIR/hull, or pass --root DIR)");
}

}  // namespace hull::cli
