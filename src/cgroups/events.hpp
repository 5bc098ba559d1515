// `events`: stats at an interval and OOM notifications, as runc's JSON lines.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "cgroups/manager.hpp"

namespace hull::cgroups {

// Emits a stats event every interval and an oom event for each OOM in the cgroup until
// stop_fd (the init's pidfd) becomes readable, i.e. the container stopped.
void watch_events(const Manager& m, const std::string& id, int stop_fd,
                  std::chrono::milliseconds interval,
                  const std::function<void(const std::string&)>& emit);

}  // namespace hull::cgroups
