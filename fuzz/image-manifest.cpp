// An image manifest from arbitrary bytes, as oci-image reads one (config descriptor, layer
// descriptors and their media types), and the same bytes as a docker-save manifest.json.
// Any hull::Error is the expected answer to bad input; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hull/error.hpp"
#include "image/documents.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)hull::image::parse_manifest(text, "manifest");
  } catch (const hull::Error&) {
  }
  try {
    (void)hull::image::parse_docker_save(text, "manifest.json");
  } catch (const hull::Error&) {
  }
  return 0;
}
