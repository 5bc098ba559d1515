// The image's User field ("name", "uid", "name:group", "uid:gid") resolved the way the
// container will see it: through the rootfs's own /etc/passwd and /etc/group.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hull::image {

struct ResolvedUser {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::vector<uint32_t> additional_gids;
};

// passwd and group are the files' contents (empty when the image has none).
ResolvedUser resolve_user(const std::string& spec, const std::string& passwd,
                          const std::string& group);
// Reads etc/passwd and etc/group below rootfs_fd (confined to it) and resolves spec.
ResolvedUser resolve_user_in(int rootfs_fd, const std::string& spec);

}  // namespace hull::image
