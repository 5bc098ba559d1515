// `update`: the resources to change, from runc's flags or a JSON document.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "spec/model.hpp"

namespace hull::cgroups {

// runc's update flags, parsed (cli/numbers.hpp); unset ones are left alone. Sizes are bytes
// or -1.
struct UpdateFlags {
  std::optional<int64_t> memory, memory_reservation, memory_swap, kernel_memory, kernel_memory_tcp;
  std::optional<uint64_t> cpu_shares, cpu_period, cpu_rt_period, cpu_burst;
  std::optional<int64_t> cpu_quota, cpu_rt_runtime, cpu_idle, pids_limit;
  std::optional<uint16_t> blkio_weight;
  std::optional<std::string> cpuset_cpus, cpuset_mems;
};

spec::LinuxResources resources_from_flags(const UpdateFlags& f);

// Engines send every field with zeros for "leave alone" (containerd, docker): those become
// absent. Device rules are not updatable (as runc) and are dropped.
void drop_zero_values(spec::LinuxResources& r);

}  // namespace hull::cgroups
