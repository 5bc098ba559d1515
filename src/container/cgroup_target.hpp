// A container that is not stopped, with its cgroup: what update, events and ps work on.
#pragma once

#include <memory>
#include <string>

#include "cgroups/manager.hpp"
#include "container/options.hpp"
#include "state/record.hpp"

namespace hull::container {

struct CgroupTarget {
  state::Record record;
  std::unique_ptr<cgroups::Manager> cgroup;
};

// Throws when the container does not exist or is stopped. The state dir's lock is dropped at
// once: events may run for hours and must not hold up kill or delete.
CgroupTarget open_cgroup_target(const Globals& g, const std::string& id);

}  // namespace hull::container
