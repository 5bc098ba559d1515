#include "container/cgroup_target.hpp"

#include "container/lifecycle.hpp"
#include "hull/error.hpp"
#include "state/store.hpp"

namespace hull::container {

CgroupTarget open_cgroup_target(const Globals& g, const std::string& id) {
  state::Store store(g.root);
  auto dir = store.open(id);
  CgroupTarget t{dir.load(), nullptr};
  if (status_of(t.record, dir) == "stopped") {
    throw Error("container \"" + id + "\" is not running");
  }
  dir.unlock();
  t.cgroup =
      cgroups::reopen_manager(t.record.cgroup_path, t.record.cgroup_dirs, t.record.systemd_cgroup);
  return t;
}

}  // namespace hull::container
