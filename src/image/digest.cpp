#include "image/digest.hpp"

#include "hull/error.hpp"
#include "image/text.hpp"

namespace hull::image {

std::string oci_digest(const linux_::Sha256Digest& d) {
  return "sha256:" + linux_::hex(d);
}

std::string sha256_digest(const std::string& data) {
  return oci_digest(linux_::sha256(data));
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
