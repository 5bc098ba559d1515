// The read-only commands: ls (the images of a layout) and inspect (one image's summary).
#pragma once

#include <string>

#include "image/image.hpp"

namespace hull::image {

// One line per image: tag, manifest digest, platform.
std::string list_layout(const std::string& dir);
// A JSON summary: manifest, config digests, platform, process settings, layers.
std::string inspect(const Image& img);

}  // namespace hull::image
