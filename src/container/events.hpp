// `events`: a running container's stats, once or at an interval, and its OOM events, as
// runc's JSON lines.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "container/options.hpp"

namespace hull::container {

struct EventsRequest {
  std::string id;
  bool stats_once = false;  // one stats event, then return
  std::chrono::milliseconds interval{5000};
};

// Emits each event (one JSON object, no newline) until the container stops.
void container_events(const Globals& g, const EventsRequest& r,
                      const std::function<void(const std::string&)>& emit);

}  // namespace hull::container
