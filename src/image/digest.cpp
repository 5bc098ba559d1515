#include "image/digest.hpp"

#include <openssl/evp.h>

#include "hull/error.hpp"
#include "image/text.hpp"

namespace hull::image {

struct Sha256::Ctx {
  EVP_MD_CTX* md = nullptr;
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) {
  ctx_->md = EVP_MD_CTX_new();
  if (ctx_->md == nullptr || EVP_DigestInit_ex(ctx_->md, EVP_sha256(), nullptr) != 1)
    throw Error("initialising sha256");
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(ctx_->md);
}

void Sha256::update(const void* data, size_t len) {
  if (len > 0 && EVP_DigestUpdate(ctx_->md, data, len) != 1) throw Error("hashing with sha256");
}

std::string Sha256::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(ctx_->md, out, &n) != 1) throw Error("finishing sha256");
  static const char hex[] = "0123456789abcdef";
  std::string s = "sha256:";
  for (unsigned i = 0; i < n; ++i) {
    s += hex[out[i] >> 4];
    s += hex[out[i] & 15];
  }
  return s;
}

std::string sha256_digest(const std::string& data) {
  Sha256 h;
  h.update(data.data(), data.size());
  return h.finish();
}

void check_digest(const std::string& digest, const std::string& what) {
  const std::string prefix = "sha256:";
  bool ok = digest.size() == prefix.size() + 64 && digest.compare(0, prefix.size(), prefix) == 0;
  for (size_t i = prefix.size(); ok && i < digest.size(); ++i) {
    char c = digest[i];
    ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  }
  if (!ok)
    throw Error(what + ": \"" + shown(digest) + "\" is not a sha256 digest (sha256:<64 hex>)");
}

std::string digest_hex(const std::string& digest) {
  return digest.substr(digest.find(':') + 1);
}

}  // namespace hull::image
