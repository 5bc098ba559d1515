// An image resolved down to its blobs: manifest, config and layers, each with what it must hash
// to. Whatever the transport, blobs are files below one directory, opened confined to it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "image/fd.hpp"
#include "image/ref.hpp"
#include "image/stream.hpp"

namespace hull::image {

namespace media {
inline constexpr const char* kOciIndex = "application/vnd.oci.image.index.v1+json";
inline constexpr const char* kOciManifest = "application/vnd.oci.image.manifest.v1+json";
inline constexpr const char* kOciConfig = "application/vnd.oci.image.config.v1+json";
inline constexpr const char* kOciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr const char* kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
inline constexpr const char* kDockerManifest =
    "application/vnd.docker.distribution.manifest.v2+json";
inline constexpr const char* kDockerLayer = "application/vnd.docker.image.rootfs.diff.tar";
}  // namespace media

struct Descriptor {
  std::string media_type;
  std::string digest;  // empty where the transport has none (docker-archive layers)
  int64_t size = -1;
};

struct Layer {
  Descriptor blob;
  std::string file;  // below Image::dir
  Compression compression = Compression::kAuto;
  std::string diff_id;
};

struct Platform {
  std::string os = "linux";
  std::string arch;  // the host's by default
  std::string variant;
};
// "os/arch[/variant]"; empty text gives linux and the host's architecture.
Platform parse_platform(const std::string& text);

struct Image {
  Ref ref;
  std::string dir;  // the layout directory, or a scratch copy of an archive
  Descriptor manifest;
  std::string manifest_json;
  Descriptor config;
  std::string config_json;
  std::vector<Layer> layers;
  std::shared_ptr<TempDir> scratch;  // owns dir for archives

  // Opens a file below dir without leaving it.
  Fd open(const std::string& file) const;
  // "layer 2 (sha256:...)": how errors name a layer.
  std::string layer_name(size_t index) const;
};

struct OpenOptions {
  Platform platform;
  std::string scratch_parent = "/tmp";  // where archives are unpacked to be read
};

// Resolves ref to one image (index → manifest → config), checking every small blob's digest
// and size. Layer blobs are checked as they are read.
Image open_image(const Ref& ref, const OpenOptions& opts);

// Compression of a layer media type; throws naming what for one that is not a layer.
Compression layer_compression(const std::string& media_type, const std::string& what);

}  // namespace hull::image
