// state.json from arbitrary bytes, as `list`, `state` and every command that opens a container
// read it. A hull::Error is the expected answer to bad input. A record that parses must also
// survive a round trip through hull's own writer: if what hull writes cannot be read back, a
// container would be lost from `list`, so that aborts like a crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hull/error.hpp"
#include "state/record.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  hull::state::Record record;
  try {
    record = hull::state::from_json(text, "state.json");
  } catch (const hull::Error&) {
    return 0;
  }
  try {
    (void)hull::state::from_json(hull::state::to_json(record), "state.json");
    (void)hull::state::oci_state_json(record, "running", true);
  } catch (const hull::Error&) {
    std::abort();
  }
  return 0;
}
