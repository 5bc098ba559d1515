// Parsing and checking each JSON document of an image, on its own: what open_image does with
// the bytes of an index, a manifest, an image config or a docker-save manifest.json before
// anything is read from disk on their word. Each throws an Error naming what and the field.
// The fuzz harnesses (fuzz/image-*.cpp) call exactly these.
#pragma once

#include <string>
#include <vector>

#include "image/image.hpp"
#include "image/layout.hpp"

namespace hull::image {

// index.json of a layout: every entry's descriptor, tag and platform.
std::vector<IndexEntry> parse_index(const std::string& json, const std::string& what);
// An index or manifest list: the descriptor of the manifest for the platform.
Descriptor pick_platform(const std::string& json, const std::string& what, const Platform& want);

struct ManifestDoc {
  Descriptor config;
  std::vector<Layer> layers;  // blob and compression; file and diff_id are the caller's
};
ManifestDoc parse_manifest(const std::string& json, const std::string& what);

// rootfs.diff_ids of an image config, each a checked digest.
std::vector<std::string> parse_diff_ids(const std::string& json, const std::string& what);

// The first image of a docker-save manifest.json: its config and layer files, cleaned names.
struct DockerSave {
  std::string config_file;
  std::vector<std::string> layer_files;
};
DockerSave parse_docker_save(const std::string& json, const std::string& what);

}  // namespace hull::image
