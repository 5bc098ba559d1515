// The one-shot SHA256_* calls are deprecated in OpenSSL 3 in favour of EVP (see the header);
// defined before the header, which includes <openssl/sha.h>.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "linux/sha256.hpp"

#include "hull/error.hpp"

namespace hull::linux_ {

Sha256::Sha256() {
  if (SHA256_Init(&ctx_) != 1) throw Error("sha256: initialising failed");
}

void Sha256::update(const void* data, size_t len) {
  if (len > 0 && SHA256_Update(&ctx_, data, len) != 1) throw Error("sha256: hashing failed");
}

Sha256Digest Sha256::finish() {
  Sha256Digest out;
  if (SHA256_Final(out.data(), &ctx_) != 1 || SHA256_Init(&ctx_) != 1) {
    throw Error("sha256: finishing failed");
  }
  return out;
}

Sha256Digest sha256(std::string_view data) {
  Sha256 h;
  h.update(data);
  return h.finish();
}

std::string hex(const Sha256Digest& digest) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(digest.size() * 2);
  for (uint8_t b : digest) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

std::string sha256_hex(std::string_view data) {
  return hex(sha256(data));
}

}  // namespace hull::linux_
