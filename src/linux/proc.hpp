// Facts about processes read from /proc: start time (to guard against pid reuse), liveness,
// and which user namespace this process runs in.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace hull::linux_ {

struct ProcStat {
  char state = '?';         // R, S, D, Z, T, ...
  uint64_t start_time = 0;  // field 22, clock ticks since boot
};

// nullopt when the process does not exist; throws hull::Error when its stat file cannot be
// read for another reason (a process must not look dead because /proc failed).
std::optional<ProcStat> proc_stat(pid_t pid);

// True when pid exists, is not a zombie, and started at start_time (same process).
bool process_alive(pid_t pid, uint64_t start_time);

// process_alive, and the process still has its program: a process being killed loses its
// memory (and so /proc/PID/exe) before its fds are closed and before it turns zombie, so
// this tells "killed on its way" from "alive" at the moment its close-on-exec fds close.
bool process_alive_with_image(pid_t pid, uint64_t start_time);

// True when this process runs in a user namespace other than the initial one: its uid_map is
// not the identity map of every id ("0 0 4294967295"). Rootless podman calls the runtime as
// root of its own namespace. No readable uid_map (a kernel without user namespaces): false.
bool in_child_user_namespace();

}  // namespace hull::linux_
