// A fingerprint of a file the runtime wrote beside state.json: which hull build wrote it, its
// size and the SHA-256 of its bytes. Equal fingerprints say the bytes are the ones
// this same build checked when it wrote them, so a later command may skip checking them again.
// Not a defence against someone who can write the state dir (they can rewrite state.json as
// well): it catches damage (truncation, a changed byte) and files from another build.
#pragma once

#include <string>
#include <string_view>

namespace hull::state {

// "<build id>:<size>:sha256:<64 hex digits>" (hulls before it wrote "<build id>:<size>:<16 hex
// digits of FNV-1a>": never equal, so such a file is checked in full again); empty when this binary
// carries no GNU build id (then no fingerprint ever matches, and every check is made again).
std::string fingerprint(std::string_view content);

// The GNU build id of the running binary, in hex; empty if it has none.
const std::string& build_id();

}  // namespace hull::state
