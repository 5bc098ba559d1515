// linux.netDevices: host interfaces moved into the container's network namespace (renamed
// when the entry gives a name), by the runtime, before the container's process runs; and the
// loopback of a network namespace the runtime made.
#pragma once

#include <sys/types.h>

#include "spec/model.hpp"

namespace hull::container {

// Throws naming "/linux/netDevices/<name>" when a host interface is missing.
void check_net_devices(const spec::Spec& spec);

// Moves each device into the network namespace of pid. When the namespace goes away, the
// kernel hands physical devices back to the host and removes virtual ones.
void move_net_devices(const spec::Spec& spec, pid_t pid);

// Sets lo up in the calling process's network namespace (RTM_NEWLINK, IFF_UP), as runc and
// crun do in every network namespace they create.
void bring_up_loopback();

}  // namespace hull::container
