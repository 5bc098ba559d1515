#include "cli/numbers.hpp"

#include <signal.h>

#include <cctype>
#include <charconv>
#include <string>

#include "hull/error.hpp"
#include "linux/signals.hpp"

namespace hull::cli {
namespace {

[[noreturn]] void invalid(std::string_view what, std::string_view text, std::string_view why) {
  throw Error(std::string(what) + ": invalid value \"" + std::string(text) +
              "\": " + std::string(why));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// Splits "12.5" off the front of text: the digits, an optional fraction. Returns its length
// (0 when text does not start with a digit) and the value as a long double.
size_t leading_decimal(std::string_view text, long double& value) {
  size_t i = 0;
  value = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
    value = value * 10 + (text[i++] - '0');
  }
  if (i == 0) return 0;
  if (i < text.size() && text[i] == '.') {
    size_t j = i + 1;
    long double scale = 0.1L;
    while (j < text.size() && std::isdigit(static_cast<unsigned char>(text[j]))) {
      value += (text[j++] - '0') * scale;
      scale /= 10;
    }
    if (j == i + 1) return 0;  // "5." is not a number
    i = j;
  }
  return i;
}

}  // namespace

int64_t parse_int(std::string_view text, std::string_view what, int64_t min, int64_t max) {
  std::string_view digits = text.starts_with('-') ? text.substr(1) : text;
  if (!all_digits(digits)) invalid(what, text, "not a decimal integer");
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < min || v > max) {
    invalid(what, text,
            "out of range (" + std::to_string(min) + " to " + std::to_string(max) + ")");
  }
  return v;
}

uint64_t parse_uint(std::string_view text, std::string_view what, uint64_t max) {
  if (!all_digits(text)) invalid(what, text, "not a non-negative decimal integer");
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > max) {
    invalid(what, text, "out of range (0 to " + std::to_string(max) + ")");
  }
  return v;
}

int64_t parse_size(std::string_view text, std::string_view what) {
  if (text == "-1") return -1;
  long double number = 0;
  size_t n = leading_decimal(text, number);
  if (n == 0) invalid(what, text, "not a size (e.g. 1024, 512m, 1.5g, -1)");
  std::string unit = upper(text.substr(n));
  if (unit.starts_with(' ')) unit.erase(0, 1);
  // As Go's units.RAMInBytes: a letter, then an optional "i", then an optional "b".
  if (unit.ends_with('B')) unit.pop_back();
  if (unit.size() == 2 && unit[1] == 'I') unit.pop_back();
  static constexpr std::string_view kUnits = "KMGTP";
  long double mult = 1;
  if (unit.size() == 1 && kUnits.find(unit[0]) != std::string_view::npos) {
    for (size_t i = 0; i <= kUnits.find(unit[0]); ++i) mult *= 1024;
  } else if (!unit.empty()) {
    invalid(what, text, "unknown unit (b, k, m, g, t or p)");
  }
  long double bytes = number * mult;
  // 2^63 itself does not fit: an int64 conversion of it is undefined.
  if (bytes >= 9223372036854775808.0L) invalid(what, text, "out of range (at most 2^63-1 bytes)");
  return static_cast<int64_t>(bytes);
}

std::chrono::milliseconds parse_duration(std::string_view text, std::string_view what) {
  struct Unit {
    std::string_view name;
    long double ns;
  };
  static constexpr Unit kUnits[] = {{"ns", 1},   {"us", 1e3L}, {"µs", 1e3L},  {"ms", 1e6L},
                                    {"s", 1e9L}, {"m", 60e9L}, {"h", 3600e9L}};
  const std::string_view hint = "not a duration (e.g. 5s, 500ms, 1m30s)";
  long double total_ns = 0;
  std::string_view rest = text;
  if (rest.empty()) invalid(what, text, hint);
  if (rest.starts_with('-')) invalid(what, text, "must be greater than zero");
  while (!rest.empty()) {
    long double number = 0;
    size_t n = leading_decimal(rest, number);
    if (n == 0) invalid(what, text, hint);
    rest.remove_prefix(n);
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      // The longest match wins: "ms" before "m".
      if (rest.starts_with(u.name) && (!unit || u.name.size() > unit->name.size())) unit = &u;
    }
    if (!unit && !(rest.empty() && n == text.size())) invalid(what, text, hint);
    if (unit) rest.remove_prefix(unit->name.size());
    total_ns += number * (unit ? unit->ns : 1e9L);
  }
  // Go's time.Duration is an int64 of nanoseconds.
  if (total_ns >= 9223372036854775807.0L) invalid(what, text, "out of range (at most 2562047h)");
  if (total_ns <= 0) invalid(what, text, "must be greater than zero");
  auto ms = static_cast<int64_t>(total_ns / 1e6L);
  return std::chrono::milliseconds(ms > 0 ? ms : 1);
}

int parse_signal(std::string_view text) {
  constexpr std::string_view what = "signal";
  if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0]))) {
    return static_cast<int>(parse_int(text, what, 0, NSIG - 1));
  }
  return with_context(std::string(what) + ": invalid value \"" + std::string(text) + "\"",
                      [&] { return linux_::signal_number(text); });
}

}  // namespace hull::cli
