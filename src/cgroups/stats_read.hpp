// Reading counters out of cgroup files for the stats readers; a missing file reads as zero
// (a controller the host lacks is simply not reported).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hull::cgroups {

// The file's text, or "" when it cannot be read.
std::string read_or_empty(const std::string& path);
// A single number; "max" and missing files give 0.
uint64_t read_u64(const std::string& path);
// Space-separated numbers (cpuacct.usage_percpu).
std::vector<uint64_t> read_u64_list(const std::string& path);
// Page sizes with files named prefix<size>suffix in dir ("hugetlb." "2MB" ".max").
std::vector<std::string> hugetlb_sizes(const std::string& dir, const std::string& suffix);

}  // namespace hull::cgroups
