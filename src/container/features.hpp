// `hull features`: the runtime-spec features document (features.md), listing only what this
// build really implements, so engines can ask before they rely on something.
#pragma once

#include <string>

namespace hull::container {

std::string features_json();

}  // namespace hull::container
