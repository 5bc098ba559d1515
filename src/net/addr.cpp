#include "net/addr.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace hull::net {

std::optional<IpAddr> IpAddr::parse(std::string_view text) {
  std::string s(text);
  IpAddr a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    return a;
  }
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET6;
    return a;
  }
  return std::nullopt;
}

bool IpAddr::v4() const {
  return family == AF_INET;
}

std::string IpAddr::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, bytes.data(), buf, sizeof buf);
  return buf;
}

std::optional<Subnet> Subnet::parse(std::string_view text) {
  auto slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto addr = IpAddr::parse(text.substr(0, slash));
  if (!addr) return std::nullopt;
  auto len = text.substr(slash + 1);
  int prefix = -1;
  auto [end, ec] = std::from_chars(len.data(), len.data() + len.size(), prefix);
  int bits = addr->v4() ? 32 : 128;
  if (ec != std::errc() || end != len.data() + len.size() || prefix < 0 || prefix > bits)
    return std::nullopt;
  Subnet net{*addr, prefix};
  for (int bit = prefix; bit < bits; ++bit)
    if (addr->bytes[bit / 8] & (0x80 >> (bit % 8))) return std::nullopt;
  return net;
}

std::string Subnet::str() const {
  return base.str() + "/" + std::to_string(prefix);
}

bool Subnet::contains(const IpAddr& a) const {
  if (a.family != base.family) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    uint8_t mask = 0x80 >> (bit % 8);
    if ((a.bytes[bit / 8] & mask) != (base.bytes[bit / 8] & mask)) return false;
  }
  return true;
}

bool Subnet::overlaps(const Subnet& other) const {
  return contains(other.base) || other.contains(base);
}

uint64_t Subnet::last_index() const {
  int host_bits = (base.v4() ? 32 : 128) - prefix;
  if (host_bits >= 32) return (uint64_t{1} << 32) - 1;
  uint64_t count = uint64_t{1} << host_bits;
  // IPv4 keeps the broadcast address out; IPv6 has none.
  return base.v4() ? (count >= 2 ? count - 2 : 0) : count - 1;
}

std::optional<IpAddr> Subnet::at(uint64_t index) const {
  if (index == 0 || index > last_index()) return std::nullopt;
  IpAddr a = base;
  size_t i = base.v4() ? 4 : 16;
  uint64_t carry = index;
  while (carry != 0 && i > 0) {
    --i;
    uint64_t sum = a.bytes[i] + (carry & 0xff);
    a.bytes[i] = static_cast<uint8_t>(sum);
    carry = (carry >> 8) + (sum >> 8);
  }
  return a;
}

uint64_t Subnet::index_of(const IpAddr& a) const {
  size_t n = base.v4() ? 4 : 16;
  uint64_t index = 0;
  // Only the low 32 host bits count: last_index() caps the range there.
  for (size_t i = n - 4; i < n; ++i) index = (index << 8) | a.bytes[i];
  uint64_t base_low = 0;
  for (size_t i = n - 4; i < n; ++i) base_low = (base_low << 8) | base.bytes[i];
  return index - base_low;
}

}  // namespace hull::net
