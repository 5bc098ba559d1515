// oci-bridge's stdin: the OCI state document, then the annotations it reads from it (port
// mappings, the requested address). A hull::Error is the answer to bad input; a crash,
// another exception, a sanitizer report or a port list that does not survive its own
// formatting is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hull/error.hpp"
#include "net/hook_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto state = hull::net::parse_state(text);
    if (auto it = state.annotations.find("hull.net.ip"); it != state.annotations.end())
      (void)hull::net::IpAddr::parse(it->second);
    auto it = state.annotations.find("hull.net.ports");
    if (it == state.annotations.end()) return 0;
    auto ports = hull::net::parse_ports(it->second);
    // The lease stores the formatted list and teardown parses it back: it must be the same.
    if (hull::net::parse_ports(hull::net::format_ports(ports)) != ports) std::abort();
    for (auto& p : ports) (void)p.host_str();
  } catch (const hull::Error&) {
  }
  return 0;
}
