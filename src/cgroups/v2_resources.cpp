// Resources on cgroup v2: the spec's v1-flavoured values converted (convert.hpp) into the
// single directory's files; devices become an eBPF program.
#include <fcntl.h>

#include <cstdlib>

#include "cgroups/bpf_devices.hpp"
#include "cgroups/convert.hpp"
#include "cgroups/device_rules.hpp"
#include "cgroups/field_writer.hpp"
#include "cgroups/fs_util.hpp"
#include "cgroups/v2.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {
namespace {

class V2Apply {
 public:
  V2Apply(const std::string& dir, const std::string& origin, bool update, bool devices)
      : d_(dir), w_(origin), update_(update), devices_(devices) {}

  void run(const spec::LinuxResources& r) {
    if (r.cpu) cpu(*r.cpu);
    if (r.memory) memory(*r.memory);
    if (r.pids && r.pids->limit && *r.pids->limit != 0) {
      w_.write(d_, "pids/limit", "pids.max", limit_value(*r.pids->limit));
    }
    if (r.blockIO) io(*r.blockIO);
    for (size_t i = 0; i < r.hugepageLimits.size(); ++i) {
      const auto& h = r.hugepageLimits[i];
      w_.write(d_, "hugepageLimits/" + std::to_string(i), "hugetlb." + h.pageSize + ".max",
               std::to_string(h.limit));
    }
    if (r.network && (r.network->classID || !r.network->priorities.empty())) {
      w_.fail("network", "net_cls and net_prio exist only on cgroup v1; this host uses v2");
    }
    for (const auto& [device, l] : r.rdma) {
      w_.write(d_, "rdma/" + device, "rdma.max",
               device + " hca_handle=" + (l.hcaHandles ? std::to_string(*l.hcaHandles) : "max") +
                   " hca_object=" + (l.hcaObjects ? std::to_string(*l.hcaObjects) : "max"));
    }
    // Explicit v2 settings come last so they win over converted ones.
    for (const auto& [file, value] : r.unified) w_.write(d_, "unified/" + file, file, value);
    if (!update_ && devices_) devices(r.devices);
  }

 private:
  void cpu(const spec::LinuxCPU& c) {
    w_.require_limit("cpu/quota", c.quota);
    if (c.shares && *c.shares) {
      w_.write(d_, "cpu/shares", "cpu.weight", std::to_string(shares_to_weight(*c.shares)));
    }
    if (auto max = cpu_max(c.quota, c.period)) {
      const char* field = c.quota && *c.quota ? "cpu/quota" : "cpu/period";
      w_.write(d_, field, "cpu.max", *max);
    }
    if (c.burst) w_.write(d_, "cpu/burst", "cpu.max.burst", std::to_string(*c.burst));
    if (c.idle) w_.write(d_, "cpu/idle", "cpu.idle", std::to_string(*c.idle));
    if ((c.realtimeRuntime && *c.realtimeRuntime) || (c.realtimePeriod && *c.realtimePeriod)) {
      w_.fail(
          c.realtimeRuntime && *c.realtimeRuntime ? "cpu/realtimeRuntime" : "cpu/realtimePeriod",
          "real-time CPU budgets do not exist on cgroup v2");
    }
    if (!c.cpus.empty()) w_.write(d_, "cpu/cpus", "cpuset.cpus", c.cpus);
    if (!c.mems.empty()) w_.write(d_, "cpu/mems", "cpuset.mems", c.mems);
  }

  void memory(const spec::LinuxMemory& m) {
    w_.require_limit("memory/limit", m.limit);
    w_.require_limit("memory/reservation", m.reservation);
    w_.require_limit("memory/swap", m.swap);
    w_.require_limit("memory/kernelTCP", m.kernelTCP);
    int64_t limit = m.limit.value_or(0);
    int64_t swap = m.swap.value_or(0);
    if (swap > 0 && limit == 0) {
      // An update of the swap alone: the total is relative to the limit in force.
      auto current = parse_limit(w_.read(d_, "memory/swap", "memory.max"));
      limit = current ? static_cast<int64_t>(*current) : -1;
      if (limit == -1) w_.fail("memory/swap", "a memory+swap limit needs a memory limit");
    }
    if (limit > 0 && m.checkBeforeUpdate.value_or(false)) {
      uint64_t usage =
          std::strtoull(trim(w_.read(d_, "memory/limit", "memory.current")).c_str(), nullptr, 10);
      if (static_cast<uint64_t>(limit) < usage) {
        w_.fail("memory/limit", "the new limit " + std::to_string(limit) +
                                    " is below the current usage " + std::to_string(usage));
      }
    }
    int64_t swap_max = 0;
    try {
      swap_max = swap_to_v2(swap, limit);
    } catch (const Error& e) {
      w_.fail("memory/swap", e.message());
    }
    // swap equal to the limit converts to 0: no swap (runc writes it too); 0 given as swap
    // means "unset".
    if (swap_max != 0 || swap > 0) {
      // A kernel without swap accounting has no memory.swap.max: only "unlimited" is fine then.
      if (swap_max >= 0 || linux_::exists(d_ + "/memory.swap.max")) {
        w_.write(d_, "memory/swap", "memory.swap.max", limit_value(swap_max));
      }
    }
    if (limit != 0 && m.limit) w_.write(d_, "memory/limit", "memory.max", limit_value(limit));
    if (m.reservation && *m.reservation) {
      w_.write(d_, "memory/reservation", "memory.low", limit_value(*m.reservation));
    }
    if (m.swappiness && static_cast<int64_t>(*m.swappiness) != -1) {
      w_.warn("memory/swappiness", "cgroup v2 has no per-cgroup swappiness; ignored");
    }
    if (m.disableOOMKiller && *m.disableOOMKiller) {
      w_.warn("memory/disableOOMKiller", "cgroup v2 cannot disable the OOM killer; ignored");
    }
    if ((m.kernel && *m.kernel) || (m.kernelTCP && *m.kernelTCP)) {
      w_.warn(m.kernel && *m.kernel ? "memory/kernel" : "memory/kernelTCP",
              "kernel memory limits do not exist on cgroup v2; ignored");
    }
  }

  void io(const spec::LinuxBlockIO& b) {
    bool bfq = linux_::exists(d_ + "/io.bfq.weight");
    if (b.weight && *b.weight) {
      if (bfq) {
        w_.write(d_, "blockIO/weight", "io.bfq.weight", std::to_string(*b.weight));
      } else {
        w_.write(d_, "blockIO/weight", "io.weight",
                 std::to_string(blkio_weight_to_io_weight(*b.weight)));
      }
    }
    if (b.leafWeight && *b.leafWeight) {
      w_.warn("blockIO/leafWeight", "cgroup v2 has no leaf weights; ignored");
    }
    for (size_t i = 0; i < b.weightDevice.size(); ++i) {
      const auto& wd = b.weightDevice[i];
      if (!wd.weight || !*wd.weight) continue;
      std::string dev = std::to_string(wd.major) + ":" + std::to_string(wd.minor) + " ";
      std::string field = "blockIO/weightDevice/" + std::to_string(i) + "/weight";
      if (bfq) {
        w_.write(d_, field, "io.bfq.weight", dev + std::to_string(*wd.weight));
      } else {
        w_.write(d_, field, "io.weight",
                 dev + std::to_string(blkio_weight_to_io_weight(*wd.weight)));
      }
    }
    throttle("throttleReadBpsDevice", "rbps", b.throttleReadBpsDevice);
    throttle("throttleWriteBpsDevice", "wbps", b.throttleWriteBpsDevice);
    throttle("throttleReadIOPSDevice", "riops", b.throttleReadIOPSDevice);
    throttle("throttleWriteIOPSDevice", "wiops", b.throttleWriteIOPSDevice);
  }

  void throttle(const std::string& name, const std::string& key,
                const std::vector<spec::LinuxThrottleDevice>& list) {
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& t = list[i];
      w_.write(d_, "blockIO/" + name + "/" + std::to_string(i), "io.max",
               std::to_string(t.major) + ":" + std::to_string(t.minor) + " " + key + "=" +
                   std::to_string(t.rate));
    }
  }

  void devices(const std::vector<spec::LinuxDeviceCgroup>& list) {
    auto rules = effective_device_rules(list, w_.where("devices"));
    with_context(w_.where("devices"), [&] {
      linux_::Fd dir(
          linux_::kernel().openat(AT_FDCWD, d_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
      if (!dir) throw Error::sys("opening " + d_);
      linux_::Fd prog = load_device_program(device_program(rules));
      attach_device_program(dir.get(), prog.get());
    });
  }

  const std::string& d_;
  FieldWriter w_;
  bool update_;
  bool devices_;
};

}  // namespace

void V2Manager::apply(const spec::LinuxResources& r, const std::string& origin, bool update) {
  V2Apply(dir(), origin, update, device_rules()).run(r);
}

}  // namespace hull::cgroups
