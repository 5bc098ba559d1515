#include "cgroups/rootless.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "cgroups/fs_util.hpp"
#include "cgroups/hierarchy_scan.hpp"
#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/files.hpp"

namespace hull::cgroups {

namespace {

bool can(const std::string& path, int mode) {
  return ::faccessat(AT_FDCWD, path.c_str(), mode, AT_EACCESS) == 0;
}

std::string parent_of(const std::string& dir) {
  auto slash = dir.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : dir.substr(0, slash);
}

}  // namespace

bool rootless_caller() {
  return ::geteuid() != 0;
}

std::string rootless_default_path(const std::string& id, Layout layout, const std::string& own_v2) {
  if (layout == Layout::kV1) return id;
  std::string parent = own_v2.empty() || own_v2 == "/" ? "/" : parent_of(own_v2);
  return parent == "/" ? "/" + id : parent + "/" + id;
}

std::string unwritable_dir(const Manager& m) {
  for (const auto& h : m.hierarchies()) {
    if (linux_::exists(h.dir)) {
      // Joining an existing cgroup: its cgroup.procs, and the directory for child cgroups.
      if (!can(h.dir, W_OK | X_OK)) return h.dir;
      if (!can(h.dir + "/cgroup.procs", W_OK)) return h.dir + "/cgroup.procs";
      continue;
    }
    std::string d = h.dir;
    while (d.size() > h.mountpoint.size() && !linux_::exists(d)) d = parent_of(d);
    if (!can(d, W_OK | X_OK)) return d;
  }
  return "";
}

std::string first_limit(const spec::LinuxResources& r) {
  auto set = [](const auto& v) { return v && *v != 0; };
  if (const auto& m = r.memory) {
    if (set(m->limit)) return "memory/limit";
    if (set(m->reservation)) return "memory/reservation";
    if (set(m->swap)) return "memory/swap";
    if (set(m->kernel)) return "memory/kernel";
    if (set(m->kernelTCP)) return "memory/kernelTCP";
    if (m->swappiness) return "memory/swappiness";
    if (m->disableOOMKiller.value_or(false)) return "memory/disableOOMKiller";
  }
  if (const auto& c = r.cpu) {
    if (set(c->shares)) return "cpu/shares";
    if (set(c->quota)) return "cpu/quota";
    if (set(c->burst)) return "cpu/burst";
    if (set(c->period)) return "cpu/period";
    if (set(c->realtimeRuntime)) return "cpu/realtimeRuntime";
    if (set(c->realtimePeriod)) return "cpu/realtimePeriod";
    if (!c->cpus.empty()) return "cpu/cpus";
    if (!c->mems.empty()) return "cpu/mems";
    if (c->idle) return "cpu/idle";
  }
  if (r.pids && set(r.pids->limit)) return "pids/limit";
  if (const auto& b = r.blockIO) {
    if (set(b->weight)) return "blockIO/weight";
    if (set(b->leafWeight)) return "blockIO/leafWeight";
    if (!b->weightDevice.empty()) return "blockIO/weightDevice";
    if (!b->throttleReadBpsDevice.empty()) return "blockIO/throttleReadBpsDevice";
    if (!b->throttleWriteBpsDevice.empty()) return "blockIO/throttleWriteBpsDevice";
    if (!b->throttleReadIOPSDevice.empty()) return "blockIO/throttleReadIOPSDevice";
    if (!b->throttleWriteIOPSDevice.empty()) return "blockIO/throttleWriteIOPSDevice";
  }
  if (!r.hugepageLimits.empty()) return "hugepageLimits/0";
  if (r.network && (r.network->classID || !r.network->priorities.empty())) return "network";
  if (!r.rdma.empty()) return "rdma/" + r.rdma.begin()->first;
  if (!r.unified.empty()) return "unified/" + r.unified.begin()->first;
  return "";
}

std::unique_ptr<Manager> rootless_manager(std::unique_ptr<Manager> fs,
                                          const std::string& cgroups_path) {
  std::string denied = unwritable_dir(*fs);
  if (denied.empty()) {
    fs->set_device_rules(false);
    return fs;
  }
  std::string why = denied + " is not writable by uid " + std::to_string(::geteuid());
  if (!cgroups_path.empty()) {
    throw Error("config.json: /linux/cgroupsPath: \"" + cgroups_path + "\": " + why +
                " (a rootless container can only use a cgroup delegated to its user)");
  }
  // Only to --log: runc says nothing here, and without a log stderr may be the container's.
  log_write("warning", "rootless: no writable cgroup (" + why +
                           "): the container stays in the caller's cgroups, without limits");
  // The container's cgroup mount shows the caller's cgroups, where its processes are.
  std::vector<Manager::Hierarchy> view;
  for (const auto& h : fs->hierarchies()) {
    view.push_back({h.name, h.mountpoint, join(h.mountpoint, own_cgroup(h.name))});
  }
  return no_writable_cgroup(why, std::move(view));
}

}  // namespace hull::cgroups
