#include "net/nat.hpp"

#include <nftables/libnftables.h>

#include <sstream>

#include "hull/error.hpp"

namespace hull::net {

std::string nft_base_ruleset() {
  // portmap: a DNAT for destinations that are local addresses, looked up first by
  // (host ip, proto, port) for mappings bound to one address, then by (proto, port).
  // output: the same for connections made on the host itself (127.0.0.1:PORT included).
  // postrouting: masquerade what leaves a masqueraded subnet for elsewhere, DNATed
  // connections from localhost, and hairpin connections (a container reaching a mapped port
  // of its own network), which would otherwise get a reply from the wrong address.
  return R"(add table inet hull
add set inet hull nets4 { type ipv4_addr; flags interval; }
add set inet hull masq4 { type ipv4_addr; flags interval; }
add set inet hull nets6 { type ipv6_addr; flags interval; }
add set inet hull masq6 { type ipv6_addr; flags interval; }
add map inet hull ports4 { type inet_proto . inet_service : ipv4_addr . inet_service; }
add map inet hull hports4 { type ipv4_addr . inet_proto . inet_service : ipv4_addr . inet_service; }
add map inet hull ports6 { type inet_proto . inet_service : ipv6_addr . inet_service; }
add map inet hull hports6 { type ipv6_addr . inet_proto . inet_service : ipv6_addr . inet_service; }
add chain inet hull portmap
flush chain inet hull portmap
add rule inet hull portmap meta nfproto ipv4 dnat ip to ip daddr . meta l4proto . th dport map @hports4
add rule inet hull portmap meta nfproto ipv4 dnat ip to meta l4proto . th dport map @ports4
add rule inet hull portmap meta nfproto ipv6 dnat ip6 to ip6 daddr . meta l4proto . th dport map @hports6
add rule inet hull portmap meta nfproto ipv6 dnat ip6 to meta l4proto . th dport map @ports6
add chain inet hull prerouting { type nat hook prerouting priority dstnat; policy accept; }
flush chain inet hull prerouting
add rule inet hull prerouting fib daddr type local jump portmap
add chain inet hull output { type nat hook output priority -100; policy accept; }
flush chain inet hull output
add rule inet hull output fib daddr type local jump portmap
add chain inet hull postrouting { type nat hook postrouting priority srcnat; policy accept; }
flush chain inet hull postrouting
add rule inet hull postrouting ct status dnat ip saddr 127.0.0.0/8 masquerade
add rule inet hull postrouting ct status dnat ip saddr @nets4 ip daddr @nets4 masquerade
add rule inet hull postrouting ct status dnat ip6 saddr @nets6 ip6 daddr @nets6 masquerade
add rule inet hull postrouting ip saddr @masq4 ip daddr != @nets4 masquerade
add rule inet hull postrouting ip6 saddr @masq6 ip6 daddr != @nets6 masquerade
)";
}

std::string nft_network_elements(const NetworkConfig& cfg, const std::string& verb) {
  std::string out;
  auto element = [&](const char* set, const Subnet& net) {
    out += verb + " element inet hull " + set + " { " + net.str() + " }\n";
  };
  element("nets4", cfg.subnet);
  if (cfg.masquerade) element("masq4", cfg.subnet);
  if (cfg.subnet6) {
    element("nets6", *cfg.subnet6);
    if (cfg.masquerade) element("masq6", *cfg.subnet6);
  }
  return out;
}

void nft_remove_network(Nft& nft, const NetworkConfig& cfg) {
  std::istringstream lines(nft_network_elements(cfg, "delete"));
  for (std::string line; std::getline(lines, line);) nft.try_run(line);
}

namespace {

// One element line per family the mapping applies to: a mapping bound to a host IP goes to
// that IP's family only; an unbound one to IPv4 and, when the container has one, IPv6.
void port_lines(std::string& out, const std::string& verb, const PortMapping& p,
                const Lease& lease) {
  auto line = [&](bool v4, const IpAddr& target) {
    std::string map = std::string(p.host_ip ? "hports" : "ports") + (v4 ? "4" : "6");
    std::string key =
        (p.host_ip ? p.host_ip->str() + " . " : "") + p.proto + " . " + std::to_string(p.host_port);
    std::string value = target.str() + " . " + std::to_string(p.container_port);
    out += verb + " element inet hull " + map + " { " + key;
    if (verb == "add") out += " : " + value;
    out += " }\n";
  };
  bool want4 = !p.host_ip || p.host_ip->v4();
  bool want6 = lease.ip6 && (!p.host_ip || !p.host_ip->v4());
  if (want4) line(true, lease.ip4);
  if (want6) line(false, *lease.ip6);
}

}  // namespace

std::string nft_port_elements(const std::string& verb, const std::vector<PortMapping>& ports,
                              const Lease& lease) {
  std::string out;
  for (auto& p : ports) port_lines(out, verb, p, lease);
  return out;
}

Nft::Nft() : ctx_(nft_ctx_new(NFT_CTX_DEFAULT)) {
  if (!ctx_) throw Error("nftables: cannot create a context");
  nft_ctx_buffer_output(ctx_);
  nft_ctx_buffer_error(ctx_);
}

Nft::~Nft() {
  nft_ctx_free(ctx_);
}

bool Nft::try_run(const std::string& commands) {
  return nft_run_cmd_from_buffer(ctx_, commands.c_str()) == 0;
}

std::string Nft::output() const {
  const char* out = nft_ctx_get_output_buffer(ctx_);
  return out ? out : "";
}

void Nft::run(const std::string& commands) {
  if (try_run(commands)) return;
  std::string err = nft_ctx_get_error_buffer(ctx_);
  while (!err.empty() && err.back() == '\n') err.pop_back();
  throw Error("nftables: " + (err.empty() ? std::string("command failed") : err));
}

void nft_install(Nft& nft, const std::string& elements) {
  // Rewriting the chains makes the kernel wait out a grace period (several ms); elements
  // alone do not. So the chains are written only when the elements find no table to go to.
  if (nft.try_run(elements)) return;
  nft.run(nft_base_ruleset() + elements);
}

void nft_remove_ports(Nft& nft, const std::vector<PortMapping>& ports, const Lease& lease) {
  if (ports.empty()) return;
  // Adding our exact elements first makes the delete succeed whether or not they were still
  // there. If a key now maps to another container the transaction fails; then each mapping is
  // tried alone so the others still go.
  if (nft.try_run(nft_port_elements("add", ports, lease) +
                  nft_port_elements("delete", ports, lease)))
    return;
  for (auto& p : ports) {
    std::vector<PortMapping> one{p};
    nft.try_run(nft_port_elements("add", one, lease) + nft_port_elements("delete", one, lease));
  }
}

}  // namespace hull::net
