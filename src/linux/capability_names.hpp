// Capability names and numbers, from libcap (cap_to_name): the one table for validation,
// exec --cap, the capability sets and `hull features`. Names are the spec's spelling,
// "CAP_SYS_ADMIN"; libcap's own parser (cap_from_name) also takes lower case, numbers and
// text after the name, so lookups go through the list below instead.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hull::linux_ {

// CAP_SYS_ADMIN -> 21. Only a name libcap knows, written "CAP_" and upper case.
std::optional<int> capability_number(std::string_view name);

// 21 -> "CAP_SYS_ADMIN"; the decimal number for one libcap has no name for.
std::string capability_name(int cap);

// Every capability libcap names, in number order (libcap may know more than the kernel runs).
const std::vector<std::string>& capability_names();

// The running kernel's last capability (cap_max_bits() - 1, as /proc/sys/kernel/cap_last_cap).
int last_capability();

}  // namespace hull::linux_
