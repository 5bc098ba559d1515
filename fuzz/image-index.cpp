// An image index from arbitrary bytes, read both ways oci-image reads one: as a layout's
// index.json (every entry's descriptor, tag and platform) and as a nested index or manifest
// list (picking the manifest for a platform). Any hull::Error is the expected answer to bad
// input; anything else (a crash, another exception, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hull/error.hpp"
#include "image/documents.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)hull::image::parse_index(text, "index.json");
  } catch (const hull::Error&) {
  }
  for (const char* platform : {"linux/amd64", "linux/arm/v7"}) {
    try {
      (void)hull::image::pick_platform(text, "index", hull::image::parse_platform(platform));
    } catch (const hull::Error&) {
    }
  }
  return 0;
}
