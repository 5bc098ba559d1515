// Resources on cgroup v1: each spec field goes to its controller's file, in the order the
// kernel's checks need (swap before memory when raising, period before quota, ...).
#include <cstdlib>

#include "cgroups/convert.hpp"
#include "cgroups/device_rules.hpp"
#include "cgroups/field_writer.hpp"
#include "cgroups/fs_util.hpp"
#include "cgroups/v1.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"

namespace hull::cgroups {
namespace {

class V1Apply {
 public:
  V1Apply(const V1Manager& m, const std::string& origin, bool update)
      : m_(m), w_(origin), update_(update) {}

  void run(const spec::LinuxResources& r) {
    if (!r.unified.empty()) {
      w_.fail("unified", "cgroup v2 files cannot be set: this host uses cgroup v1");
    }
    if (r.cpu) cpu(*r.cpu);
    if (r.memory) memory(*r.memory);
    if (r.pids && r.pids->limit && *r.pids->limit != 0) {
      w_.write(dir("pids", "pids"), "pids/limit", "pids.max", limit_value(*r.pids->limit));
    }
    if (r.blockIO) blkio(*r.blockIO);
    for (size_t i = 0; i < r.hugepageLimits.size(); ++i) hugetlb(r.hugepageLimits[i], i);
    if (r.network) network(*r.network);
    for (const auto& [device, limits] : r.rdma) rdma(device, limits);
    if (!update_ && m_.device_rules()) devices(r.devices);
  }

 private:
  // The directory of a controller, or a clear error naming the field when it is not mounted.
  const std::string& dir(const std::string& controller, const std::string& field) {
    const Manager::Hierarchy* h = m_.find(controller);
    if (!h) w_.fail(field, "the " + controller + " cgroup controller is not mounted on this host");
    return h->dir;
  }

  void cpu(const spec::LinuxCPU& c) {
    w_.require_limit("cpu/quota", c.quota);
    if (!c.cpus.empty()) w_.write(dir("cpuset", "cpu/cpus"), "cpu/cpus", "cpuset.cpus", c.cpus);
    if (!c.mems.empty()) w_.write(dir("cpuset", "cpu/mems"), "cpu/mems", "cpuset.mems", c.mems);
    bool any = (c.shares && *c.shares) || (c.quota && *c.quota) || (c.period && *c.period) ||
               c.burst || (c.realtimeRuntime && *c.realtimeRuntime) ||
               (c.realtimePeriod && *c.realtimePeriod) || c.idle;
    if (!any) return;
    const std::string& d = dir("cpu", "cpu");
    // Real-time budget first: the kernel checks it against the parent's at each write.
    if (c.realtimePeriod && *c.realtimePeriod) {
      w_.write(d, "cpu/realtimePeriod", "cpu.rt_period_us", std::to_string(*c.realtimePeriod));
    }
    if (c.realtimeRuntime && *c.realtimeRuntime) {
      w_.write(d, "cpu/realtimeRuntime", "cpu.rt_runtime_us", std::to_string(*c.realtimeRuntime));
    }
    if (c.shares && *c.shares) {
      w_.write(d, "cpu/shares", "cpu.shares", std::to_string(*c.shares));
      uint64_t got =
          std::strtoull(trim(w_.read(d, "cpu/shares", "cpu.shares")).c_str(), nullptr, 10);
      if (got != *c.shares) {
        w_.fail("cpu/shares", std::to_string(*c.shares) + " is out of the kernel's range (it set " +
                                  std::to_string(got) + ")");
      }
    }
    bool quota = c.quota && *c.quota != 0;
    bool period_pending = false;
    if (c.period && *c.period) {
      // A shorter period can be refused while the old quota is in place: retry after quota.
      try {
        w_.write(d, "cpu/period", "cpu.cfs_period_us", std::to_string(*c.period));
      } catch (const Error& e) {
        if (e.code() != EINVAL || !quota) throw;
        period_pending = true;
      }
    }
    if (quota) {
      w_.write(d, "cpu/quota", "cpu.cfs_quota_us", std::to_string(*c.quota < 0 ? -1 : *c.quota));
      if (period_pending) {
        w_.write(d, "cpu/period", "cpu.cfs_period_us", std::to_string(*c.period));
      }
    }
    if (c.burst) w_.write(d, "cpu/burst", "cpu.cfs_burst_us", std::to_string(*c.burst));
    if (c.idle) w_.write(d, "cpu/idle", "cpu.idle", std::to_string(*c.idle));
  }

  void memory(const spec::LinuxMemory& mem) {
    w_.require_limit("memory/limit", mem.limit);
    w_.require_limit("memory/reservation", mem.reservation);
    w_.require_limit("memory/swap", mem.swap);
    w_.require_limit("memory/kernelTCP", mem.kernelTCP);
    int64_t limit = mem.limit.value_or(0);
    int64_t swap = mem.swap.value_or(0);
    bool any = limit || swap || (mem.reservation && *mem.reservation) || mem.kernel ||
               (mem.kernelTCP && *mem.kernelTCP) || mem.swappiness || mem.disableOOMKiller ||
               mem.useHierarchy;
    if (!any) return;
    const std::string& d = dir("memory", "memory");
    bool has_memsw = linux_::exists(d + "/memory.memsw.limit_in_bytes");
    // Unlimited memory with swap left alone means both unlimited, as runc does.
    if (limit == -1 && swap == 0 && has_memsw) swap = -1;
    if (limit > 0 && mem.checkBeforeUpdate.value_or(false)) {
      uint64_t usage = std::strtoull(
          trim(w_.read(d, "memory/limit", "memory.usage_in_bytes")).c_str(), nullptr, 10);
      if (static_cast<uint64_t>(limit) < usage) {
        w_.fail("memory/limit", "the new limit " + std::to_string(limit) +
                                    " is below the current usage " + std::to_string(usage));
      }
    }
    bool swap_first = false;
    if (limit != 0 && swap != 0) {
      uint64_t current = std::strtoull(
          trim(w_.read(d, "memory/limit", "memory.limit_in_bytes")).c_str(), nullptr, 10);
      swap_first = swap == -1 || current < static_cast<uint64_t>(swap);
    }
    if (swap_first) write_swap(d, swap, has_memsw);
    if (limit != 0) {
      w_.write(d, "memory/limit", "memory.limit_in_bytes", std::to_string(limit < 0 ? -1 : limit));
    }
    if (!swap_first) write_swap(d, swap, has_memsw);
    if (mem.reservation && *mem.reservation) {
      w_.write(d, "memory/reservation", "memory.soft_limit_in_bytes",
               std::to_string(*mem.reservation < 0 ? -1 : *mem.reservation));
    }
    if (mem.kernel && *mem.kernel) {
      w_.warn("memory/kernel", "kernel memory limits are deprecated and ignored");
    }
    if (mem.kernelTCP && *mem.kernelTCP) {
      w_.write(d, "memory/kernelTCP", "memory.kmem.tcp.limit_in_bytes",
               std::to_string(*mem.kernelTCP < 0 ? -1 : *mem.kernelTCP));
    }
    if (mem.swappiness && static_cast<int64_t>(*mem.swappiness) != -1) {
      if (*mem.swappiness > 100) {
        w_.fail("memory/swappiness",
                std::to_string(*mem.swappiness) + " is out of range: expected 0 to 100");
      }
      w_.write(d, "memory/swappiness", "memory.swappiness", std::to_string(*mem.swappiness));
    }
    if (mem.disableOOMKiller && *mem.disableOOMKiller) {
      w_.write(d, "memory/disableOOMKiller", "memory.oom_control", "1");
    }
    if (mem.useHierarchy) {
      w_.write(d, "memory/useHierarchy", "memory.use_hierarchy", *mem.useHierarchy ? "1" : "0");
    }
  }

  void write_swap(const std::string& d, int64_t swap, bool has_memsw) {
    if (swap == 0) return;
    if (!has_memsw) {
      w_.fail("memory/swap", "swap accounting is off in this kernel (no memory.memsw files)");
    }
    w_.write(d, "memory/swap", "memory.memsw.limit_in_bytes", std::to_string(swap < 0 ? -1 : swap));
  }

  void blkio(const spec::LinuxBlockIO& b) {
    bool any = (b.weight && *b.weight) || (b.leafWeight && *b.leafWeight) ||
               !b.weightDevice.empty() || !b.throttleReadBpsDevice.empty() ||
               !b.throttleWriteBpsDevice.empty() || !b.throttleReadIOPSDevice.empty() ||
               !b.throttleWriteIOPSDevice.empty();
    if (!any) return;
    const std::string& d = dir("blkio", "blockIO");
    // CFQ's blkio.weight is gone from current kernels; BFQ's file takes the same range.
    bool cfq = linux_::exists(d + "/blkio.weight");
    std::string weight_file = cfq ? "blkio.weight" : "blkio.bfq.weight";
    std::string device_file = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
    if (b.weight && *b.weight) {
      w_.write(d, "blockIO/weight", weight_file, std::to_string(*b.weight));
    }
    if (b.leafWeight && *b.leafWeight) {
      w_.write(d, "blockIO/leafWeight", "blkio.leaf_weight", std::to_string(*b.leafWeight));
    }
    for (size_t i = 0; i < b.weightDevice.size(); ++i) {
      const auto& wd = b.weightDevice[i];
      std::string dev = std::to_string(wd.major) + ":" + std::to_string(wd.minor) + " ";
      std::string field = "blockIO/weightDevice/" + std::to_string(i);
      if (wd.weight && *wd.weight) {
        w_.write(d, field + "/weight", device_file, dev + std::to_string(*wd.weight));
      }
      if (wd.leafWeight && *wd.leafWeight) {
        w_.write(d, field + "/leafWeight", "blkio.leaf_weight_device",
                 dev + std::to_string(*wd.leafWeight));
      }
    }
    throttle(d, "throttleReadBpsDevice", "blkio.throttle.read_bps_device", b.throttleReadBpsDevice);
    throttle(d, "throttleWriteBpsDevice", "blkio.throttle.write_bps_device",
             b.throttleWriteBpsDevice);
    throttle(d, "throttleReadIOPSDevice", "blkio.throttle.read_iops_device",
             b.throttleReadIOPSDevice);
    throttle(d, "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device",
             b.throttleWriteIOPSDevice);
  }

  void throttle(const std::string& d, const std::string& name, const std::string& file,
                const std::vector<spec::LinuxThrottleDevice>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& t = list[i];
      w_.write(
          d, "blockIO/" + name + "/" + std::to_string(i), file,
          std::to_string(t.major) + ":" + std::to_string(t.minor) + " " + std::to_string(t.rate));
    }
  }

  void hugetlb(const spec::LinuxHugepageLimit& h, size_t i) {
    std::string field = "hugepageLimits/" + std::to_string(i);
    w_.write(dir("hugetlb", field), field, "hugetlb." + h.pageSize + ".limit_in_bytes",
             std::to_string(h.limit));
  }

  void network(const spec::LinuxNetwork& n) {
    if (n.classID) {
      w_.write(dir("net_cls", "network/classID"), "network/classID", "net_cls.classid",
               std::to_string(*n.classID));
    }
    for (size_t i = 0; i < n.priorities.size(); ++i) {
      std::string field = "network/priorities/" + std::to_string(i);
      w_.write(dir("net_prio", field), field, "net_prio.ifpriomap",
               n.priorities[i].name + " " + std::to_string(n.priorities[i].priority));
    }
  }

  void rdma(const std::string& device, const spec::LinuxRdma& l) {
    std::string field = "rdma/" + device;
    std::string line =
        device +
        " hca_handle=" + (l.hcaHandles ? std::to_string(*l.hcaHandles) : std::string("max")) +
        " hca_object=" + (l.hcaObjects ? std::to_string(*l.hcaObjects) : std::string("max"));
    w_.write(dir("rdma", field), field, "rdma.max", line);
  }

  void devices(const std::vector<spec::LinuxDeviceCgroup>& list) {
    auto rules = effective_device_rules(list, w_.where("devices"));
    const Manager::Hierarchy* h = m_.find("devices");
    if (!h) {
      if (!list.empty()) w_.warn("devices", "the devices cgroup controller is not mounted");
      return;
    }
    // Each file opened once for all its rules (still one write per rule, as the kernel reads
    // one rule per write).
    linux_::Fd allow, deny;
    for (const auto& r : rules) {
      linux_::Fd& fd = r.allow ? allow : deny;
      const char* file = r.allow ? "devices.allow" : "devices.deny";
      if (!fd) fd = w_.open(h->dir, "devices", file);
      w_.write(fd.get(), h->dir, "devices", file, v1_rule_text(r));
    }
  }

  const V1Manager& m_;
  FieldWriter w_;
  bool update_;
};

}  // namespace

void V1Manager::apply(const spec::LinuxResources& r, const std::string& origin, bool update) {
  V1Apply(*this, origin, update).run(r);
}

}  // namespace hull::cgroups
