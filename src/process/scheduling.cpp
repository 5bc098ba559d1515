#include "process/scheduling.hpp"

#include <linux/ioprio.h>
#include <linux/mempolicy.h>
#include <linux/sched.h>
#include <sched.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>

#include "hull/error.hpp"
#include "linux/kernel.hpp"

namespace hull::process {
namespace {

template <typename T>
struct Named {
  std::string_view name;
  T value;
};

template <typename T, size_t N>
T lookup(const Named<T> (&table)[N], const std::string& name, const std::string& where,
         const char* what) {
  for (const auto& e : table) {
    if (e.name == name) return e.value;
  }
  throw Error(where + ": unknown " + what + " \"" + name + "\"");
}

// struct sched_attr of sched_setattr(2): the uapi header clashes with glibc's <sched.h>.
struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime;
  uint64_t sched_deadline;
  uint64_t sched_period;
};

constexpr Named<uint32_t> kPolicies[] = {
    {"SCHED_OTHER", SCHED_NORMAL},      {"SCHED_FIFO", SCHED_FIFO}, {"SCHED_RR", SCHED_RR},
    {"SCHED_BATCH", SCHED_BATCH},       {"SCHED_ISO", 4},           {"SCHED_IDLE", SCHED_IDLE},
    {"SCHED_DEADLINE", SCHED_DEADLINE},
};

constexpr Named<uint64_t> kSchedFlags[] = {
    {"SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK},
    {"SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM},
    {"SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN},
    {"SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY},
    {"SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS},
    {"SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN},
    {"SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX},
};

constexpr Named<int> kIoClasses[] = {
    {"IOPRIO_CLASS_RT", IOPRIO_CLASS_RT},
    {"IOPRIO_CLASS_BE", IOPRIO_CLASS_BE},
    {"IOPRIO_CLASS_IDLE", IOPRIO_CLASS_IDLE},
};

constexpr Named<unsigned long> kDomains[] = {{"LINUX", PER_LINUX}, {"LINUX32", PER_LINUX32}};

constexpr Named<unsigned long> kPersonalityFlags[] = {
    {"ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE}, {"ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT},
    {"ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT},   {"ADDR_LIMIT_3GB", ADDR_LIMIT_3GB},
    {"FDPIC_FUNCPTRS", FDPIC_FUNCPTRS},       {"MMAP_PAGE_ZERO", MMAP_PAGE_ZERO},
    {"READ_IMPLIES_EXEC", READ_IMPLIES_EXEC}, {"SHORT_INODE", SHORT_INODE},
    {"STICKY_TIMEOUTS", STICKY_TIMEOUTS},     {"UNAME26", UNAME26},
    {"WHOLE_SECONDS", WHOLE_SECONDS},
};

// MPOL_WEIGHTED_INTERLEAVE is newer than this system's kernel headers.
constexpr Named<int> kMemModes[] = {
    {"MPOL_DEFAULT", MPOL_DEFAULT},  {"MPOL_PREFERRED", MPOL_PREFERRED},
    {"MPOL_BIND", MPOL_BIND},        {"MPOL_INTERLEAVE", MPOL_INTERLEAVE},
    {"MPOL_LOCAL", MPOL_LOCAL},      {"MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY},
    {"MPOL_WEIGHTED_INTERLEAVE", 6},
};

constexpr Named<int> kMemFlags[] = {
    {"MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING},
    {"MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES},
    {"MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES},
};

unsigned parse_number(std::string_view s, const std::string& where, const std::string& list) {
  if (s.empty() || s.size() > 6 || !std::all_of(s.begin(), s.end(), ::isdigit)) {
    throw Error(where + ": malformed list \"" + list + "\" (expected e.g. 0-3,7)");
  }
  return static_cast<unsigned>(std::stoul(std::string(s)));
}

}  // namespace

std::vector<unsigned> parse_id_list(const std::string& list, const std::string& where) {
  std::vector<unsigned> out;
  size_t pos = 0;
  while (pos <= list.size() && !list.empty()) {
    size_t end = list.find(',', pos);
    if (end == std::string::npos) end = list.size();
    std::string_view item(list.data() + pos, end - pos);
    size_t dash = item.find('-');
    unsigned lo = parse_number(item.substr(0, dash), where, list);
    unsigned hi =
        dash == std::string_view::npos ? lo : parse_number(item.substr(dash + 1), where, list);
    if (hi < lo) throw Error(where + ": range " + std::string(item) + " goes backwards");
    for (unsigned i = lo; i <= hi; ++i) out.push_back(i);
    pos = end + 1;
  }
  return out;
}

void set_scheduler(const spec::Scheduler& s, const std::string& where) {
  SchedAttr attr = {};
  attr.size = sizeof(attr);
  attr.sched_policy = lookup(kPolicies, s.policy, where + "/policy", "policy");
  for (size_t i = 0; i < s.flags.size(); ++i) {
    attr.sched_flags |=
        lookup(kSchedFlags, s.flags[i], where + "/flags/" + std::to_string(i), "flag");
  }
  attr.sched_nice = s.nice;
  attr.sched_priority = static_cast<uint32_t>(s.priority);
  attr.sched_runtime = s.runtime;
  attr.sched_deadline = s.deadline;
  attr.sched_period = s.period;
  if (linux_::kernel().sched_setattr(0, reinterpret_cast<sched_attr*>(&attr), 0) < 0) {
    throw Error::sys(where + ": sched_setattr");
  }
}

void set_io_priority(const spec::IOPriority& p, const std::string& where) {
  int cls = lookup(kIoClasses, p.class_, where + "/class", "class");
  if (p.priority < 0 || p.priority > 7) {
    throw Error(where + "/priority: " + std::to_string(p.priority) + " is outside 0..7");
  }
  if (linux_::kernel().ioprio_set(IOPRIO_WHO_PROCESS, 0, IOPRIO_PRIO_VALUE(cls, p.priority)) < 0) {
    throw Error::sys(where + ": ioprio_set");
  }
}

void set_cpu_affinity(const std::string& list, const std::string& where) {
  if (list.empty()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (unsigned cpu : parse_id_list(list, where)) {
    if (cpu >= CPU_SETSIZE) throw Error(where + ": cpu " + std::to_string(cpu) + " is too large");
    CPU_SET(cpu, &set);
  }
  if (linux_::kernel().sched_setaffinity(0, sizeof(set), &set) < 0) {
    throw Error::sys(where + ": sched_setaffinity " + list);
  }
}

void set_personality(const spec::LinuxPersonality& p, const std::string& where) {
  unsigned long persona = lookup(kDomains, p.domain, where + "/domain", "domain");
  for (size_t i = 0; i < p.flags.size(); ++i) {
    persona |= lookup(kPersonalityFlags, p.flags[i], where + "/flags/" + std::to_string(i), "flag");
  }
  if (linux_::kernel().personality(persona) < 0) throw Error::sys(where + ": personality");
}

void set_memory_policy(const spec::LinuxMemoryPolicy& p, const std::string& where) {
  int mode = lookup(kMemModes, p.mode, where + "/mode", "mode");
  for (size_t i = 0; i < p.flags.size(); ++i) {
    mode |= lookup(kMemFlags, p.flags[i], where + "/flags/" + std::to_string(i), "flag");
  }
  constexpr unsigned kMaxNode = 1024;
  unsigned long mask[kMaxNode / (8 * sizeof(unsigned long))] = {};
  bool any = false;
  for (unsigned node : parse_id_list(p.nodes, where + "/nodes")) {
    if (node >= kMaxNode)
      throw Error(where + "/nodes: node " + std::to_string(node) + " is too large");
    mask[node / (8 * sizeof(unsigned long))] |= 1UL << (node % (8 * sizeof(unsigned long)));
    any = true;
  }
  if (linux_::kernel().set_mempolicy(mode, any ? mask : nullptr, any ? kMaxNode + 1 : 0) < 0) {
    throw Error::sys(where + ": set_mempolicy " + p.mode + (p.nodes.empty() ? "" : " " + p.nodes));
  }
}

}  // namespace hull::process
