#include "container/events.hpp"

#include "cgroups/events.hpp"
#include "cgroups/stats.hpp"
#include "container/cgroup_target.hpp"
#include "linux/proc.hpp"
#include "linux/syscalls.hpp"

namespace hull::container {

void container_events(const Globals& g, const EventsRequest& r,
                      const std::function<void(const std::string&)>& emit) {
  CgroupTarget t = open_cgroup_target(g, r.id);
  if (r.stats_once) {
    emit(cgroups::stats_event_json(r.id, t.cgroup->stats()));
    return;
  }
  linux_::Fd pidfd = linux_::pidfd_open(t.record.pid);
  // The pid may have been reused between the status check and the open.
  if (!linux_::process_alive(t.record.pid, t.record.start_time)) return;
  cgroups::watch_events(*t.cgroup, r.id, pidfd.get(), r.interval, emit);
}

}  // namespace hull::container
