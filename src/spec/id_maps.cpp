#include "spec/id_maps.hpp"

namespace hull::spec {

std::string id_map_text(const std::vector<LinuxIDMapping>& maps) {
  std::string out;
  for (const auto& m : maps) {
    out += std::to_string(m.containerID);
    out += ' ';
    out += std::to_string(m.hostID);
    out += ' ';
    out += std::to_string(m.size);
    out += '\n';
  }
  return out;
}

}  // namespace hull::spec
