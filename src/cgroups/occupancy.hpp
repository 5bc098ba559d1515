// Who else is in a container's cgroup: the checks before a create may write or kill there,
// and the removal that leaves others' processes alone (runc 1.1 warns and shares).
#pragma once

#include <cstddef>
#include <string>

#include "cgroups/manager.hpp"

namespace hull::cgroups {

// Throws (naming `field`) when the cgroup is a hierarchy's root or the caller's own cgroup on
// any hierarchy: a container there would share, and delete would kill, what is not its own.
void refuse_host_cgroup(const Manager& m, const std::string& field);

// Processes already in the cgroup (and below) before the container joins it; 0 when the
// directories do not exist yet.
size_t count_occupants(const Manager& m);

// Removes the cgroup directories that have emptied and warns, as runc does, for each one that
// still holds processes that are not the container's; none of them is signalled.
void remove_leaving_occupants(const Manager& m);

}  // namespace hull::cgroups
