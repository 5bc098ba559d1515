// Content addresses: "sha256:<64 hex>" digests of blobs and of uncompressed layers (diff_ids).
#pragma once

#include <string>

#include "linux/sha256.hpp"

namespace hull::image {

// Streams are hashed with the runtime's one SHA-256; oci_digest() gives the OCI form.
using linux_::Sha256;

// "sha256:<hex>".
std::string oci_digest(const linux_::Sha256Digest& d);
std::string sha256_digest(const std::string& data);
// Checks that a digest is "sha256:" and 64 lowercase hex digits, so it can name a file safely.
// Throws an Error naming what (e.g. "manifest layers[2].digest") otherwise.
void check_digest(const std::string& digest, const std::string& what);
// The hex part of a checked digest.
std::string digest_hex(const std::string& digest);

}  // namespace hull::image
