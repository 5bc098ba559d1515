#include "cgroups/update.hpp"

#include "cgroups/convert.hpp"
#include "hull/error.hpp"

namespace hull::cgroups {
namespace {

template <typename T>
void zero_to_absent(std::optional<T>& v) {
  if (v && *v == 0) v.reset();
}

}  // namespace

spec::LinuxResources resources_from_flags(const UpdateFlags& f) {
  spec::LinuxResources r;
  spec::LinuxMemory m;
  m.limit = f.memory;
  m.reservation = f.memory_reservation;
  m.swap = f.memory_swap;
  m.kernel = f.kernel_memory;
  m.kernelTCP = f.kernel_memory_tcp;
  if (m.limit || m.reservation || m.swap || m.kernel || m.kernelTCP) r.memory = m;
  spec::LinuxCPU c;
  c.shares = f.cpu_shares;
  c.period = f.cpu_period;
  c.quota = f.cpu_quota;
  c.burst = f.cpu_burst;
  c.realtimePeriod = f.cpu_rt_period;
  c.realtimeRuntime = f.cpu_rt_runtime;
  c.idle = f.cpu_idle;
  c.cpus = f.cpuset_cpus.value_or("");
  c.mems = f.cpuset_mems.value_or("");
  if (c.shares || c.period || c.quota || c.burst || c.realtimePeriod || c.realtimeRuntime ||
      c.idle || !c.cpus.empty() || !c.mems.empty()) {
    r.cpu = c;
  }
  if (f.pids_limit) r.pids = spec::LinuxPids{f.pids_limit};
  if (f.blkio_weight) {
    r.blockIO.emplace();
    r.blockIO->weight = f.blkio_weight;
  }
  return r;
}

void drop_zero_values(spec::LinuxResources& r) {
  r.devices.clear();
  if (r.memory) {
    auto& m = *r.memory;
    zero_to_absent(m.limit);
    zero_to_absent(m.reservation);
    zero_to_absent(m.swap);
    zero_to_absent(m.kernel);
    zero_to_absent(m.kernelTCP);
  }
  if (r.cpu) {
    auto& c = *r.cpu;
    zero_to_absent(c.shares);
    zero_to_absent(c.quota);
    zero_to_absent(c.period);
    zero_to_absent(c.realtimeRuntime);
    zero_to_absent(c.realtimePeriod);
  }
  if (r.pids) zero_to_absent(r.pids->limit);
  if (r.blockIO) {
    zero_to_absent(r.blockIO->weight);
    zero_to_absent(r.blockIO->leafWeight);
  }
}

}  // namespace hull::cgroups
