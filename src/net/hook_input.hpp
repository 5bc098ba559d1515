// What the hook is told: the OCI state on stdin and the annotations oci-bridge reads from it.
//   hull.net.ports = [HOSTIP:]HOSTPORT:CONTPORT[/tcp|udp|sctp], comma-separated
//                    (an IPv6 host IP in brackets: [::1]:8080:80)
//   hull.net.ip    = the IPv4 (or IPv6) address the container asks for
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "net/addr.hpp"

namespace hull::net {

struct PortMapping {
  std::optional<IpAddr> host_ip;  // none: every local address
  uint16_t host_port = 0;
  uint16_t container_port = 0;
  std::string proto = "tcp";

  std::string str() const;
  // The host side alone: "[HOSTIP:]HOSTPORT/PROTO".
  std::string host_str() const;
  // Whether both claim the same host address, port and protocol (one NAT map key).
  bool same_host_side(const PortMapping& o) const {
    return host_port == o.host_port && proto == o.proto && host_ip == o.host_ip;
  }
  bool operator==(const PortMapping&) const = default;
};

// Throws hull::Error naming the entry that is wrong.
std::vector<PortMapping> parse_ports(const std::string& text);
std::string format_ports(const std::vector<PortMapping>& ports);

struct ContainerState {
  std::string id;
  int pid = 0;
  std::string status;
  std::string bundle;
  std::map<std::string, std::string> annotations;
};

// Parses the OCI state document a hook gets on stdin.
ContainerState parse_state(const std::string& json);

// A container id as the file layout accepts it (runc's rule: [\w+-\.]+).
bool valid_container_id(const std::string& id);

}  // namespace hull::net
