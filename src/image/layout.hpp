// An OCI image layout directory: oci-layout, index.json and blobs/sha256/.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "image/image.hpp"

namespace hull::image {

inline constexpr const char* kRefNameAnnotation = "org.opencontainers.image.ref.name";

struct IndexEntry {
  Descriptor desc;
  std::string tag;       // org.opencontainers.image.ref.name, if any
  std::string platform;  // "os/arch[/variant]", if given
};

class Layout {
 public:
  // Opens an existing layout; an Error names the directory if it is not one.
  explicit Layout(std::string dir);
  // Opens dir as a layout, making an empty one first if needed.
  static Layout create(const std::string& dir);

  const std::string& dir() const { return dir_; }
  std::string blob_file(const std::string& digest) const;  // relative to dir()
  std::vector<IndexEntry> entries() const;
  // Reads a small blob (index, manifest, config) and checks its digest and size.
  std::string read_blob(const Descriptor& d, const std::string& what) const;
  bool has_blob(const std::string& digest) const;
  // Stores data as a blob (a no-op if present) and returns its descriptor.
  Descriptor write_blob(const std::string& data, const std::string& media_type);
  // Moves a finished file (on the same filesystem) into place as the blob named digest.
  void adopt_blob(const std::string& file, const std::string& digest);
  // Points tag at manifest in index.json, replacing what the tag named before.
  void set_tag(const Descriptor& manifest, const std::string& tag, const std::string& platform);

 private:
  rapidjson::Document index() const;
  std::string dir_;
};

// Parses a descriptor object; what names it in errors.
Descriptor parse_descriptor(const rapidjson::Value& v, const std::string& what);
// Reads a small file below dir (confined to it) and checks digest and size where known.
std::string read_checked(const std::string& dir, const std::string& file, const Descriptor& d,
                         const std::string& what);

}  // namespace hull::image
