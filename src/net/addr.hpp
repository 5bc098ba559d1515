// IPv4/IPv6 addresses and subnets as the IPAM and the netlink code need them: parse, print,
// and the n-th address of a subnet (how leases are numbered).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hull::net {

struct IpAddr {
  int family = 0;  // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};

  static std::optional<IpAddr> parse(std::string_view text);
  std::string str() const;
  bool v4() const;
  bool operator==(const IpAddr&) const = default;
};

struct Subnet {
  IpAddr base;  // host bits cleared
  int prefix = 0;

  // "10.88.0.0/16" or "fd00::/64"; host bits set in the base are an error (nullopt).
  static std::optional<Subnet> parse(std::string_view text);
  std::string str() const;
  bool contains(const IpAddr& a) const;
  // Whether the two share any address (same family, one holds the other's base).
  bool overlaps(const Subnet& other) const;
  // The address index (base + index); nullopt when index is outside the subnet.
  std::optional<IpAddr> at(uint64_t index) const;
  // The index of a, which must be inside the subnet.
  uint64_t index_of(const IpAddr& a) const;
  // Number of usable host indexes, capped at 2^32: 1 .. last_index().
  uint64_t last_index() const;
};

}  // namespace hull::net
