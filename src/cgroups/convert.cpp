#include "cgroups/convert.hpp"

#include <cctype>

#include "hull/error.hpp"

namespace hull::cgroups {

uint64_t shares_to_weight(uint64_t shares) {
  if (shares == 0) return 0;
  if (shares < 2) shares = 2;
  if (shares > 262144) shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t blkio_weight_to_io_weight(uint64_t weight) {
  if (weight == 0) return 0;
  if (weight < 10) weight = 10;
  if (weight > 1000) weight = 1000;
  return 1 + (weight - 10) * 9999 / 990;
}

int64_t swap_to_v2(int64_t memory_swap, int64_t memory_limit) {
  // Unlimited memory with swap left alone means "both unlimited", as on v1.
  if (memory_limit == -1 && memory_swap == 0) return -1;
  if (memory_swap == -1 || memory_swap == 0) return memory_swap;
  if (memory_limit <= 0) {
    throw Error("a memory+swap limit needs a memory limit on cgroup v2");
  }
  if (memory_swap < memory_limit) {
    throw Error("the memory+swap limit " + std::to_string(memory_swap) +
                " is below the memory limit " + std::to_string(memory_limit));
  }
  return memory_swap - memory_limit;
}

std::string limit_value(int64_t v) {
  return v < 0 ? "max" : std::to_string(v);
}

std::optional<std::string> cpu_max(std::optional<int64_t> quota, std::optional<uint64_t> period) {
  bool has_quota = quota && *quota != 0;
  bool has_period = period && *period != 0;
  if (!has_quota && !has_period) return std::nullopt;
  std::string out = has_quota && *quota > 0 ? std::to_string(*quota) : "max";
  if (has_period) out += " " + std::to_string(*period);
  return out;
}

std::optional<uint64_t> parse_limit(const std::string& text) {
  std::string t = text;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  if (t == "max" || t.empty()) return std::nullopt;
  return std::stoull(t);
}

}  // namespace hull::cgroups
