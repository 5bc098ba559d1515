// An oci-bridge network file: parse and validate, then what setup derives from an accepted
// one (gateway and first container address, NAT elements). A hull::Error is the answer to bad
// input; a crash, another exception, a sanitizer report or an accepted network that breaks
// its own promises (gateway outside its subnet, no room for a container) is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hull/error.hpp"
#include "net/config.hpp"
#include "net/nat.hpp"

namespace {

void check_subnet(const hull::net::Subnet& net, const hull::net::IpAddr& gateway) {
  if (!net.contains(gateway) || net.last_index() < 2) std::abort();
  auto index = net.index_of(gateway);
  if (index == 0 || net.at(index) != gateway) std::abort();
  // The IPAM's first pick: index 1, or 2 when the gateway has 1.
  if (!net.at(index == 1 ? 2 : 1)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto cfg = hull::net::parse_network(text, "net.json", "fuzz");
    if (!hull::net::valid_network_name(cfg.name) || !hull::net::valid_ifname(cfg.bridge))
      std::abort();
    check_subnet(cfg.subnet, cfg.gateway);
    if (cfg.subnet6) check_subnet(*cfg.subnet6, cfg.gateway6);
    (void)hull::net::nft_network_elements(cfg);
    (void)hull::net::nft_network_elements(cfg, "delete");
  } catch (const hull::Error&) {
  }
  return 0;
}
