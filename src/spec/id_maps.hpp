// uidMappings/gidMappings as the kernel reads them: the one rendering for a container's user
// namespace (container/create) and an idmapped mount's (rootfs/idmap). The range check of an
// entry is spec/ids.
#pragma once

#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::spec {

// One "containerID hostID size\n" line per entry, in order: what /proc/<pid>/uid_map and
// gid_map take in a single write.
std::string id_map_text(const std::vector<LinuxIDMapping>& maps);

}  // namespace hull::spec
