#include "cgroups/convert.hpp"

#include <cctype>
#include <cmath>
#include <limits>

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

int64_t parse_size(const std::string& text) {
  if (text == "-1") return -1;
  size_t pos = 0;
  double number = 0;
  try {
    number = std::stod(text, &pos);
  } catch (const std::exception&) {
    throw Error("invalid size \"" + text + "\"");
  }
  std::string unit;
  for (char c : text.substr(pos))
    unit += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (unit.ends_with("ib"))
    unit.resize(unit.size() - 2);
  else if (unit.size() > 1 && unit.back() == 'b')
    unit.pop_back();
  double mult = 1;
  if (unit.empty() || unit == "b") {
  } else if (unit == "k") {
    mult = 1024.0;
  } else if (unit == "m") {
    mult = 1024.0 * 1024;
  } else if (unit == "g") {
    mult = 1024.0 * 1024 * 1024;
  } else if (unit == "t") {
    mult = 1024.0 * 1024 * 1024 * 1024;
  } else if (unit == "p") {
    mult = 1024.0 * 1024 * 1024 * 1024 * 1024;
  } else {
    throw Error("invalid size \"" + text + "\": unknown unit");
  }
  double bytes = number * mult;
  if (!std::isfinite(bytes) || bytes < 0 ||
      bytes > static_cast<double>(std::numeric_limits<int64_t>::max())) {
    throw Error("invalid size \"" + text + "\"");
  }
  return static_cast<int64_t>(bytes);
}

}  // namespace hull::cgroups
