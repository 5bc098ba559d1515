// Id mappings (runc's "containerID:hostID:size") for rootless ownership of extracted files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hull::image {

struct IdMapping {
  uint32_t container_id = 0;
  uint32_t host_id = 0;
  uint32_t size = 0;
};

// Parses "C:H:S"; what names the option in errors.
IdMapping parse_id_mapping(const std::string& text, const std::string& what);
// The host id of container id, or nothing when no mapping covers it. An empty map is identity.
std::optional<uint32_t> map_id(const std::vector<IdMapping>& maps, uint32_t id);

}  // namespace hull::image
