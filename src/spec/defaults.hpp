// The default config.json that `hull spec` writes: the same container runc's `spec` describes.
#pragma once

#include <string>

namespace hull::spec {

// A complete, pretty-printed config.json for a bundle whose rootfs is ./rootfs. With rootless,
// a user namespace mapping the caller's uid/gid to root replaces the network namespace and the
// host-only mounts, as runc does.
std::string default_spec_json(bool rootless, unsigned host_uid = 0, unsigned host_gid = 0);

}  // namespace hull::spec
