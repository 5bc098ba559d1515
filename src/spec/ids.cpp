#include "spec/ids.hpp"

#include <charconv>
#include <string>

#include "hull/error.hpp"
#include "spec/issue.hpp"

namespace hull::spec {
namespace {

std::string range_text(uint64_t id) {
  return std::to_string(id) + " is out of range (uids and gids must be 0 to " +
         std::to_string(kMaxId) + ")";
}

}  // namespace

void check_id(uint64_t id, std::string_view where) {
  if (id > kMaxId) throw Error(std::string(where) + ": " + range_text(id));
}

uint32_t parse_id(std::string_view text, std::string_view what) {
  auto invalid = [&](const std::string& why) {
    return Error(std::string(what) + ": invalid value \"" + std::string(text) + "\": " + why);
  };
  bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
  if (!digits) throw invalid("not a numeric id");
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v > kMaxId) {
    throw invalid("out of range (uids and gids must be 0 to " + std::to_string(kMaxId) + ")");
  }
  return static_cast<uint32_t>(v);
}

void check_id_mapping(const LinuxIDMapping& m, std::string_view source, std::string_view where) {
  if (m.size == 0) fail(source, at(where, "size"), "must be at least 1");
  constexpr uint64_t kLast = 4294967294;  // (uint32_t)-1 is never a valid id
  const std::pair<const char*, uint32_t> starts[] = {{"containerID", m.containerID},
                                                     {"hostID", m.hostID}};
  for (const auto& [name, first] : starts) {
    uint64_t end = uint64_t{first} + m.size - 1;
    if (end > kLast) {
      fail(source, where,
           std::string(name) + " " + std::to_string(first) + " + size " + std::to_string(m.size) +
               " runs past the last id " + std::to_string(kLast));
    }
  }
}

}  // namespace hull::spec
