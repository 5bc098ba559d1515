// Reading a layer blob as a tar stream while checking it. A second thread reads and
// decompresses the blob (and hashes it as stored) while the caller's thread extracts, the way
// `tar -xzf` runs gzip beside tar; the caller hashes the uncompressed stream for the diff_id.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "image/fd.hpp"

struct archive;

namespace hull::image {

class Progress;

enum class Compression { kNone, kGzip, kZstd, kAuto };

// What a blob must match; an empty digest/diff_id or a negative size is not checked.
struct BlobCheck {
  std::string digest;
  int64_t size = -1;
  std::string diff_id;
};

class LayerReader {
 public:
  // blob is the open layer file; what names the layer in errors ("layer 2 (sha256:...)").
  LayerReader(Fd blob, Compression compression, BlobCheck check, std::string what,
              Progress* progress = nullptr);
  ~LayerReader();
  LayerReader(const LayerReader&) = delete;
  LayerReader& operator=(const LayerReader&) = delete;

  // The tar reader: next_header/read_data on it as usual.
  archive* tar();
  // Reads what the tar reader left unread, waits for the decompressor, and throws an Error
  // naming the layer if the stream was damaged or a digest, size or diff_id does not match.
  void finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace hull::image
