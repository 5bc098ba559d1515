// The limits every JSON input of hull, oci-image and oci-bridge is held to, in one place.
#pragma once

#include <cstddef>

namespace hull::json {

// Nesting depth (arrays and objects) of any JSON document read. Go's encoding/json, and so
// runc, stops at 10000; no OCI document nests more than about ten levels. 1000 keeps both the
// parser and everything that walks a document (RapidJSON's schema validator visits every
// enclosing level for each value, so its cost is values x depth) far from trouble.
inline constexpr unsigned kMaxDepth = 1000;

// Size limits by kind of input. Every one is far above what the input holds in practice.
inline constexpr size_t kSpecBytes = size_t{16} << 20;   // config.json, exec --process, update -r
inline constexpr size_t kStateBytes = size_t{16} << 20;  // state.json, the hook's state on stdin
inline constexpr size_t kImageJsonBytes = size_t{16} << 20;  // oci-layout, index, manifest, config
inline constexpr size_t kNetworkBytes = size_t{1} << 20;     // oci-bridge network and lease files

}  // namespace hull::json
