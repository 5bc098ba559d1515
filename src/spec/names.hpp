// Names the config uses for kernel constants: capabilities (CAP_*) and rlimits (RLIMIT_*).
// Shared by validation and by the code that applies them.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace hull::spec {

// CAP_SYS_ADMIN -> 21. Only names of the form CAP_*, upper case, as the spec writes them.
std::optional<int> capability_number(std::string_view name);

// Every capability name the build knows, in kernel number order.
std::vector<std::string_view> capability_names();
// RLIMIT_NOFILE -> RLIMIT_NOFILE's resource number.
std::optional<int> rlimit_resource(std::string_view name);

}  // namespace hull::spec
