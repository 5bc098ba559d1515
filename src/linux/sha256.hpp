// The one SHA-256 of hull and oci-image: saved-config fingerprints, seccomp cache keys and
// entries, image digests. libcrypto's block functions rather than EVP: EVP's implicit fetch
// brings the provider machinery into the static binary (+4.3 MB against +26 kB, measured with
// gcc -static --gc-sections on Debian 12's libcrypto.a).
#pragma once

#include <openssl/sha.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hull::linux_ {

using Sha256Digest = std::array<uint8_t, SHA256_DIGEST_LENGTH>;

// An incremental hash over a stream.
class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t len);
  void update(std::string_view data) { update(data.data(), data.size()); }
  // The digest of everything given so far; the hasher starts over afterwards.
  Sha256Digest finish();

 private:
  SHA256_CTX ctx_;
};

Sha256Digest sha256(std::string_view data);
// Lowercase hex, two digits a byte.
std::string hex(const Sha256Digest& digest);
// hex(sha256(data)).
std::string sha256_hex(std::string_view data);

}  // namespace hull::linux_
