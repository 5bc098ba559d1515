// Stats on cgroup v1: cpuacct, cpu, memory, pids, blkio and hugetlb files.
#include <unistd.h>

#include "cgroups/stats_read.hpp"
#include "cgroups/v1.hpp"

namespace hull::cgroups {
namespace {

MemoryEntry memory_entry(const std::string& d, const std::string& prefix) {
  MemoryEntry e;
  e.usage = read_u64(d + "/" + prefix + "usage_in_bytes");
  e.max = read_u64(d + "/" + prefix + "max_usage_in_bytes");
  e.failcnt = read_u64(d + "/" + prefix + "failcnt");
  e.limit = read_u64(d + "/" + prefix + "limit_in_bytes");
  return e;
}

void blkio(const std::string& d, Stats& s) {
  // Whichever scheduler's counters this kernel has; the throttle ones always exist.
  for (const char* prefix : {"blkio.", "blkio.bfq.", "blkio.throttle."}) {
    auto bytes = parse_v1_blkio(read_or_empty(d + "/" + prefix + "io_service_bytes_recursive"));
    auto ios = parse_v1_blkio(read_or_empty(d + "/" + prefix + "io_serviced_recursive"));
    if (bytes.empty() && ios.empty()) continue;
    s.io_service_bytes = std::move(bytes);
    s.io_serviced = std::move(ios);
    return;
  }
}

}  // namespace

Stats V1Manager::stats() const {
  Stats s;
  if (const Hierarchy* h = find("cpuacct")) {
    const std::string& d = h->dir;
    s.cpu_usage.total = read_u64(d + "/cpuacct.usage");
    s.cpu_usage.percpu = read_u64_list(d + "/cpuacct.usage_percpu");
    s.cpu_usage.percpu_kernel = read_u64_list(d + "/cpuacct.usage_percpu_sys");
    s.cpu_usage.percpu_user = read_u64_list(d + "/cpuacct.usage_percpu_user");
    // cpuacct.stat counts clock ticks.
    auto st = parse_flat_keyed(read_or_empty(d + "/cpuacct.stat"));
    uint64_t ns_per_tick = 1000000000ull / static_cast<uint64_t>(::sysconf(_SC_CLK_TCK));
    s.cpu_usage.user = st["user"] * ns_per_tick;
    s.cpu_usage.kernel = st["system"] * ns_per_tick;
  }
  if (const Hierarchy* h = find("cpu")) {
    auto st = parse_flat_keyed(read_or_empty(h->dir + "/cpu.stat"));
    s.throttling.periods = st["nr_periods"];
    s.throttling.throttled_periods = st["nr_throttled"];
    s.throttling.throttled_time = st["throttled_time"];
  }
  if (const Hierarchy* h = find("memory")) {
    const std::string& d = h->dir;
    s.memory = memory_entry(d, "memory.");
    s.swap = memory_entry(d, "memory.memsw.");
    s.kernel = memory_entry(d, "memory.kmem.");
    s.kernel_tcp = memory_entry(d, "memory.kmem.tcp.");
    s.memory_raw = parse_flat_keyed(read_or_empty(d + "/memory.stat"));
    s.memory_cache = s.memory_raw["cache"];
  }
  if (const Hierarchy* h = find("pids")) {
    s.pids_current = read_u64(h->dir + "/pids.current");
    s.pids_limit = read_u64(h->dir + "/pids.max");
  }
  if (const Hierarchy* h = find("blkio")) blkio(h->dir, s);
  if (const Hierarchy* h = find("hugetlb")) {
    for (const auto& size : hugetlb_sizes(h->dir, ".usage_in_bytes")) {
      std::string base = h->dir + "/hugetlb." + size + ".";
      s.hugetlb[size] = {read_u64(base + "usage_in_bytes"), read_u64(base + "max_usage_in_bytes"),
                         read_u64(base + "failcnt")};
    }
  }
  return s;
}

}  // namespace hull::cgroups
