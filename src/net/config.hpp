// A network's definition: /etc/hull/networks/NAME.json (or any file given with --config).
//   {"name": "hull", "bridge": "hull0", "subnet": "10.88.0.0/16", "gateway": "10.88.0.1",
//    "subnet6": "fd88::/64", "gateway6": "fd88::1", "mtu": 1500, "masquerade": true,
//    "dns": ["10.88.0.1"]}
// Only "subnet" is required; the rest defaults as shown (no IPv6 unless subnet6 is given).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "net/addr.hpp"

namespace hull::net {

struct NetworkConfig {
  std::string name;
  std::string origin;  // the file it came from ("built-in" for the default network)
  std::string bridge;
  Subnet subnet;
  IpAddr gateway;
  std::optional<Subnet> subnet6;
  IpAddr gateway6;
  unsigned mtu = 1500;
  bool masquerade = true;
  std::vector<std::string> dns;
};

// Parses a network definition; `origin` names the file in errors, `default_name` is used when
// the document has no "name". Throws hull::Error naming the field that is wrong. Subnets must
// hold a gateway and one container (IPv4 /30, IPv6 /126 at most) and stay clear of addresses
// no container can have (0.0.0.0/8, loopback, multicast, reserved; ::, ::1, IPv4-mapped,
// link-local, multicast); the gateway must be a host address of its subnet.
NetworkConfig parse_network(const std::string& json, const std::string& origin,
                            const std::string& default_name);

// The network that exists without a file: bridge hull0, 10.88.0.0/16, masquerade.
inline constexpr const char* kDefaultNetwork = "hull";

// Reads FILE, or DIR/NAME.json (for kDefaultNetwork, the built-in one if there is no file).
NetworkConfig load_network_file(const std::string& path);
NetworkConfig load_network(const std::string& config_dir, const std::string& name);

// Refuses cfg when a subnet of it shares addresses with a subnet of another network defined in
// config_dir (a file that does not parse is that network's own error, not this one's). The
// error names the file and field of cfg and the other network and its file.
void check_config_overlaps(const NetworkConfig& cfg, const std::string& config_dir);

// A network or interface name the kernel and our file layout accept.
bool valid_ifname(const std::string& name);
bool valid_network_name(const std::string& name);

}  // namespace hull::net
