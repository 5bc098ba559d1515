// `exec --process FILE` from arbitrary bytes: parse, schema check and semantic validation of a
// process.json. Any hull::Error is the expected answer; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "hull/error.hpp"
#include "spec/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    (void)hull::spec::parse_process(text, "process.json");
  } catch (const hull::Error&) {
  }
  return 0;
}
