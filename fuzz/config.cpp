// config.json from arbitrary bytes: parse, schema check and semantic validation. Any
// hull::Error is the expected answer to bad input; anything else (a crash, another
// exception, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hull/error.hpp"
#include "spec/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)hull::spec::parse_config(text, "config.json");
  } catch (const hull::Error&) {
  }
  return 0;
}
