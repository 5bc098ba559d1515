// Pure conversions between the runtime-spec's (cgroup v1 flavoured) resource values and the
// values cgroup v2 files take. Kept free of I/O so they are unit-tested exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hull::cgroups {

// cpu.shares [2, 262144] -> cpu.weight [1, 10000] (runc's linear mapping); 0 stays unset.
uint64_t shares_to_weight(uint64_t shares);
// blkio.weight [10, 1000] -> io.weight [1, 10000]; 0 stays unset.
uint64_t blkio_weight_to_io_weight(uint64_t weight);
// memory.swap.max from the spec's memory+swap total and memory limit: -1 = "max",
// 0 = leave unset. Throws when the pair makes no sense (swap without a limit, swap < limit).
int64_t swap_to_v2(int64_t memory_swap, int64_t memory_limit);
// "max" for -1 (and other negatives), the number otherwise.
std::string limit_value(int64_t v);
// cpu.max: "<quota|max> <period>"; nullopt when neither is given.
std::optional<std::string> cpu_max(std::optional<int64_t> quota, std::optional<uint64_t> period);
// Parses "max" (as nullopt) or a number in a cgroup file.
std::optional<uint64_t> parse_limit(const std::string& text);

}  // namespace hull::cgroups
