// What `events --stats` reports, shaped like runc's types.Stats so tools reading runc's JSON
// read ours.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hull::cgroups {

struct MemoryEntry {
  uint64_t limit = 0;
  uint64_t usage = 0;
  uint64_t max = 0;
  uint64_t failcnt = 0;
};

struct BlkioEntry {
  uint64_t major = 0;
  uint64_t minor = 0;
  std::string op;  // Read Write Sync Async Discard Total
  uint64_t value = 0;
};

struct HugetlbEntry {
  uint64_t usage = 0;
  uint64_t max = 0;
  uint64_t failcnt = 0;
};

struct Stats {
  struct {
    uint64_t total = 0, kernel = 0, user = 0;  // nanoseconds
    std::vector<uint64_t> percpu, percpu_kernel, percpu_user;
  } cpu_usage;
  struct {
    uint64_t periods = 0, throttled_periods = 0, throttled_time = 0;
  } throttling;
  uint64_t memory_cache = 0;
  MemoryEntry memory, swap, kernel, kernel_tcp;
  std::map<std::string, uint64_t> memory_raw;  // memory.stat
  uint64_t pids_current = 0;
  uint64_t pids_limit = 0;  // 0: unlimited
  std::vector<BlkioEntry> io_service_bytes, io_serviced;
  std::map<std::string, HugetlbEntry> hugetlb;  // page size ("2MB") -> counters
};

// {"type":"stats","id":...,"data":...} / {"type":"oom","id":...}
std::string stats_event_json(const std::string& id, const Stats& s);
std::string oom_event_json(const std::string& id);

// Parsers shared by the v1 and v2 readers (exposed for the unit tests).
// "key value" lines (memory.stat, cpu.stat) -> map.
std::map<std::string, uint64_t> parse_flat_keyed(const std::string& text);
// v1 blkio files: "8:0 Read 4096" lines; the "Total N" line is skipped.
std::vector<BlkioEntry> parse_v1_blkio(const std::string& text);
// v2 io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 ..." -> bytes and ios entries.
void parse_v2_io_stat(const std::string& text, std::vector<BlkioEntry>& bytes,
                      std::vector<BlkioEntry>& ios);

}  // namespace hull::cgroups
