// rlimit names (RLIMIT_*) the config uses, shared by validation and by the code that applies
// them. Capability names are libcap's: linux/capability_names.hpp.
#pragma once

#include <optional>
#include <string_view>

namespace hull::spec {

// RLIMIT_NOFILE -> RLIMIT_NOFILE's resource number.
std::optional<int> rlimit_resource(std::string_view name);

}  // namespace hull::spec
