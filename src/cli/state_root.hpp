// Where the state lives and whether the caller counts as rootless, by runc's rules with
// hull's name: a non-root caller with XDG_RUNTIME_DIR gets $XDG_RUNTIME_DIR/hull (runc:
// .../runc), root gets /run/hull; --root always wins. --rootless is auto, true or false.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

namespace hull::cli {

inline constexpr const char* kSystemStateRoot = "/run/hull";

// What the rules look at, gathered once (current_caller) so that the rules are pure.
struct Caller {
  uid_t euid = 0;
  bool in_userns = false;                      // not the initial user namespace
  std::optional<std::string> xdg_runtime_dir;  // unset and empty are both nullopt
  std::optional<std::string> user;             // $USER
};

Caller current_caller();

// The state root when --root is not given; xdg_used tells that it is the XDG one (made 0700
// with the sticky bit, as runc does, so that the runtime dir's cleaner leaves it).
struct StateRoot {
  std::string path;
  bool xdg_used = false;
};
StateRoot default_state_root(const Caller& c);

// --rootless: "true"/"false" (and the other spellings Go's ParseBool takes) win; "auto" (or
// empty) is rootless for a non-root caller, and for root in a user namespace unless the
// cgroups are systemd's. Throws naming --rootless for anything else.
bool rootless_of(const std::string& flag, const Caller& c, bool systemd_cgroup);

// Makes the XDG state root (0700 + sticky) when it is the one in use.
void prepare_state_root(const StateRoot& r);

// For a caller that is not root, without XDG_RUNTIME_DIR and without --root: /run/hull is
// not theirs, so say so and how to fix it rather than fail later on a bare EACCES.
void check_state_root_usable(const StateRoot& r, const Caller& c);

}  // namespace hull::cli
