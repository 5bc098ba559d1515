// Idmapped bind mounts (a mount's uidMappings/gidMappings): the source tree is cloned with
// open_tree, given a user namespace holding the mappings with mount_setattr(MOUNT_ATTR_IDMAP),
// and moved onto the destination.
#pragma once

#include <string>

#include "spec/model.hpp"

namespace hull::rootfs {

// Mounts an idmapped clone of source (recursive when `recursive`) onto the O_PATH fd dest.
void idmapped_bind(const std::string& source, int dest_fd, const spec::Mount& m, bool recursive);

}  // namespace hull::rootfs
