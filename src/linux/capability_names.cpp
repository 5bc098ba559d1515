#include "linux/capability_names.hpp"

#include <sys/capability.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace hull::linux_ {
namespace {

// Capability numbers are bit positions in a 64-bit set.
constexpr int kBits = 64;

// libcap's name for cap in the spec's spelling, or nothing when libcap only has its number.
std::optional<std::string> libcap_name(int cap) {
  std::unique_ptr<char, int (*)(void*)> text(cap_to_name(static_cast<cap_value_t>(cap)), cap_free);
  if (!text) return std::nullopt;
  std::string name(text.get());
  if (!name.starts_with("cap_")) return std::nullopt;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return name;
}

}  // namespace

std::optional<int> capability_number(std::string_view name) {
  const auto& names = capability_names();
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) return std::nullopt;
  return static_cast<int>(it - names.begin());
}

std::string capability_name(int cap) {
  return libcap_name(cap).value_or(std::to_string(cap));
}

const std::vector<std::string>& capability_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (int cap = 0; cap < kBits; ++cap) {
      std::optional<std::string> name = libcap_name(cap);
      if (!name) break;
      out.push_back(std::move(*name));
    }
    return out;
  }();
  return names;
}

int last_capability() {
  return static_cast<int>(cap_max_bits()) - 1;
}

}  // namespace hull::linux_
