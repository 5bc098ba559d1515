#include "image/idmap.hpp"

#include <charconv>

#include "hull/error.hpp"

namespace hull::image {

IdMapping parse_id_mapping(const std::string& text, const std::string& what) {
  IdMapping m;
  uint32_t* fields[] = {&m.container_id, &m.host_id, &m.size};
  const char* p = text.data();
  const char* end = p + text.size();
  for (int i = 0; i < 3; ++i) {
    auto [next, ec] = std::from_chars(p, end, *fields[i]);
    bool sep_ok = i < 2 ? (next < end && *next == ':') : next == end;
    if (ec != std::errc() || !sep_ok)
      throw Error(what + ": \"" + text + "\" is not CONTAINERID:HOSTID:SIZE");
    p = next + 1;
  }
  if (m.size == 0) throw Error(what + ": \"" + text + "\" has size 0");
  return m;
}

std::optional<uint32_t> map_id(const std::vector<IdMapping>& maps, uint32_t id) {
  if (maps.empty()) return id;
  for (const auto& m : maps)
    if (id >= m.container_id && id - m.container_id < m.size)
      return m.host_id + (id - m.container_id);
  return std::nullopt;
}

}  // namespace hull::image
