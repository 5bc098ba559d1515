// Content addresses: "sha256:<64 hex>" digests of blobs and of uncompressed layers (diff_ids).
#pragma once

#include <cstddef>
#include <memory>
#include <string>

namespace hull::image {

// An incremental sha256 over a stream (OpenSSL's EVP interface).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, size_t len);
  // "sha256:<hex>" of everything given so far; the hasher cannot be used afterwards.
  std::string finish();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

std::string sha256_digest(const std::string& data);
// Checks that a digest is "sha256:" and 64 lowercase hex digits, so it can name a file safely.
// Throws an Error naming what (e.g. "manifest layers[2].digest") otherwise.
void check_digest(const std::string& digest, const std::string& what);
// The hex part of a checked digest.
std::string digest_hex(const std::string& digest);

}  // namespace hull::image
