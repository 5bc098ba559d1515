// Stats on cgroup v2: cpu.stat, memory.*, pids.*, io.stat and hugetlb.* of the one directory.
#include "cgroups/stats_read.hpp"
#include "cgroups/v2.hpp"

namespace hull::cgroups {

Stats V2Manager::stats() const {
  Stats s;
  const std::string& d = dir();
  auto cpu = parse_flat_keyed(read_or_empty(d + "/cpu.stat"));
  s.cpu_usage.total = cpu["usage_usec"] * 1000;
  s.cpu_usage.user = cpu["user_usec"] * 1000;
  s.cpu_usage.kernel = cpu["system_usec"] * 1000;
  s.throttling.periods = cpu["nr_periods"];
  s.throttling.throttled_periods = cpu["nr_throttled"];
  s.throttling.throttled_time = cpu["throttled_usec"] * 1000;

  s.memory_raw = parse_flat_keyed(read_or_empty(d + "/memory.stat"));
  s.memory_cache = s.memory_raw["file"];
  s.memory.usage = read_u64(d + "/memory.current");
  s.memory.max = read_u64(d + "/memory.peak");
  s.memory.limit = read_u64(d + "/memory.max");
  s.memory.failcnt = parse_flat_keyed(read_or_empty(d + "/memory.events"))["max"];
  // v1 reported memory+swap together; keep that meaning for tools written against runc.
  s.swap.usage = read_u64(d + "/memory.swap.current") + s.memory.usage;
  uint64_t swap_max = read_u64(d + "/memory.swap.max");
  s.swap.limit = swap_max && s.memory.limit ? swap_max + s.memory.limit : 0;

  s.pids_current = read_u64(d + "/pids.current");
  s.pids_limit = read_u64(d + "/pids.max");
  parse_v2_io_stat(read_or_empty(d + "/io.stat"), s.io_service_bytes, s.io_serviced);
  for (const auto& size : hugetlb_sizes(d, ".current")) {
    std::string base = d + "/hugetlb." + size + ".";
    s.hugetlb[size] = {read_u64(base + "current"), read_u64(base + "max"),
                       parse_flat_keyed(read_or_empty(base + "events"))["max"]};
  }
  return s;
}

}  // namespace hull::cgroups
