// NAT through libnftables, all in one table of our own (`inet hull`) so no other rule is ever
// touched. The chains are fixed and only look things up in sets and maps; a container's port
// mappings and a network's subnets are elements, added and deleted by key, so setup and
// teardown never need rule handles and every change is one atomic transaction.
#pragma once

#include <string>
#include <vector>

#include "net/config.hpp"
#include "net/hook_input.hpp"
#include "net/ipam.hpp"

struct nft_ctx;

namespace hull::net {

// The table, its sets, maps and chains; chains are flushed and refilled, elements kept, so
// running it again (by every setup) is harmless and repairs a damaged table.
std::string nft_base_ruleset();
// `add` or `delete` of the network's subnets as elements (masquerade only when the config asks
// for it).
std::string nft_network_elements(const NetworkConfig& cfg, const std::string& verb = "add");
// `add` (setup) or `delete` (teardown) of the DNAT map elements of a container's mappings.
std::string nft_port_elements(const std::string& verb, const std::vector<PortMapping>& ports,
                              const Lease& lease);

class Nft {
 public:
  Nft();
  Nft(const Nft&) = delete;
  Nft& operator=(const Nft&) = delete;
  ~Nft();
  // Runs the commands as one transaction; throws with nft's own message on failure.
  void run(const std::string& commands);
  // Like run, but returns false instead of throwing.
  bool try_run(const std::string& commands);
  // What the last command printed (a `list ...` answer).
  std::string output() const;

 private:
  nft_ctx* ctx_;
};

// Adds elements (network subnets, port mappings), creating the table first if it is missing.
void nft_install(Nft& nft, const std::string& elements);
// Removes the network's subnets, each on its own so one already gone does not keep the others.
void nft_remove_network(Nft& nft, const NetworkConfig& cfg);
// Removes a container's port mappings whatever state the table is in (idempotent teardown).
void nft_remove_ports(Nft& nft, const std::vector<PortMapping>& ports, const Lease& lease);

}  // namespace hull::net
