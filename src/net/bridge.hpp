// What the hook does: connect a container to a bridge network (setup), disconnect it
// (teardown), and release leases of containers that are gone (gc). The only place that orders
// the steps; a failed setup undoes what it did.
#pragma once

#include <string>
#include <vector>

#include "net/config.hpp"
#include "net/hook_input.hpp"
#include "net/ipam.hpp"
#include "net/netlink.hpp"

namespace hull::net {

struct Paths {
  std::string config_dir = "/etc/hull/networks";
  std::string state_dir = "/var/lib/hull/networks";
};

// The host-side veth name of a container on a network: a hash of both, so a repeated or
// interrupted call finds the same link.
std::string veth_name(const std::string& network, const std::string& id);
Mac container_mac(const IpAddr& ip4);

// Start time of pid in clock ticks since boot (0 when the process does not exist or is a
// zombie).
uint64_t process_start_time(int pid);

Lease setup(const Paths& paths, const NetworkConfig& cfg, const ContainerState& state);
// Works with the network's name only: everything else is in the lease. Idempotent.
void teardown(const Paths& paths, const std::string& network, const std::string& id);
// Leases whose container process no longer exists (or is another process now) are torn down;
// returns "network/id" of each.
std::vector<std::string> gc(const Paths& paths);
// Names of the networks with a state directory.
std::vector<std::string> networks_with_state(const Paths& paths);

}  // namespace hull::net
