// `update -r FILE|-` from arbitrary bytes: parse, schema check and validation of the linux
// resources. Any hull::Error is the expected answer; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hull/error.hpp"
#include "spec/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)hull::spec::parse_resources(text, "resources.json");
  } catch (const hull::Error&) {
  }
  return 0;
}
