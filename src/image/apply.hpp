// Applying one layer (a tar stream) onto a directory: the OCI layer changeset rules, with every
// path confined to that directory.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "image/idmap.hpp"

struct archive;

namespace hull::image {

enum class Whiteouts {
  // .wh.NAME removes NAME below; .wh..wh..opq empties the directory of what lower layers put
  // there. For a rootfs that is the union of all layers (unpack).
  kApply,
  // Whiteouts become overlayfs's own: a 0/0 character device and trusted.overlay.opaque=y.
  // For a layer kept on its own as an overlay lower dir (prepare).
  kOverlay,
  // Plain archives (oci-archive, docker-archive) where .wh. names mean nothing special.
  kNone,
};

struct ApplyOptions {
  Whiteouts whiteouts = Whiteouts::kApply;
  // Device nodes are skipped (with a note) and failures to set owners or trusted xattrs ignored.
  bool rootless = false;
  // False: everything is owned by the caller (scratch copies of archives).
  bool set_owner = true;
  // Container ids of the archive to host ids on disk; empty means identity.
  std::vector<IdMapping> uid_map, gid_map;
  // Where notes go (skipped devices, ownership that could not be mapped); stderr if unset.
  std::function<void(const std::string&)> note;
};

struct ApplyStats {
  uint64_t entries = 0;
  uint64_t bytes = 0;
  uint64_t skipped = 0;
};

// Reads every entry of the tar archive a and applies it below root_fd. Errors name what (the
// layer) and the member.
ApplyStats apply_layer(archive* a, int root_fd, const ApplyOptions& opts, const std::string& what);

}  // namespace hull::image
