// --systemd-cgroup: the container's cgroup is a transient systemd unit (a scope with
// Delegate=yes, or a slice) that systemd creates with the init inside and the resource
// properties it knows; the rest is written to the unit's cgroup through the cgroupfs manager
// of the host's layout, as runc does. Everything that only reads or writes the cgroup
// (pids, stats, freeze) goes straight to the files.
#pragma once

#include <memory>
#include <optional>

#include "cgroups/manager.hpp"
#include "cgroups/systemd_bus.hpp"
#include "cgroups/systemd_unit.hpp"

namespace hull::cgroups {

class SystemdManager : public Manager {
 public:
  // fs: the cgroupfs manager of the unit's cgroup (u.path). started: the unit exists already
  // (a container reopened from its state).
  SystemdManager(SystemdUnit u, std::unique_ptr<Manager> fs, bool started);

  // Connects to systemd, so a missing bus fails before anything is made.
  void create() override;
  // Starts the unit holding pid and waits for it; then the resources go into its cgroup.
  void add(pid_t pid) override;
  // At create: converted into unit properties now (so bad values fail before the init
  // exists) and applied when add() starts the unit. On update: SetUnitProperties, then the
  // files.
  void apply(const spec::LinuxResources& r, const std::string& origin, bool update) override;
  // Stops the unit (systemd kills what is left) and removes what remains of the cgroup; does
  // nothing when this container never started its unit (it may be another container's).
  void destroy() override;

  std::vector<pid_t> pids() const override { return fs_->pids(); }
  Stats stats() const override { return fs_->stats(); }
  void freeze(bool frozen) override { fs_->freeze(frozen); }
  bool frozen() const override { return fs_->frozen(); }
  void thaw_tree() override { fs_->thaw_tree(); }
  const std::string& path() const override { return fs_->path(); }
  const std::vector<Hierarchy>& hierarchies() const override { return fs_->hierarchies(); }
  const SystemdUnit& unit() const { return unit_; }

 private:
  SystemdBus& bus();
  // Runs f with the bus, its errors prefixed with the unit's origin (/linux/cgroupsPath).
  template <typename F>
  void on_bus(F&& f);

  SystemdUnit unit_;
  std::unique_ptr<Manager> fs_;
  bool started_;
  std::unique_ptr<SystemdBus> bus_;
  // What create's apply() asked for, until add() starts the unit.
  std::optional<spec::LinuxResources> pending_;
  std::string pending_origin_;
  std::vector<Property> pending_props_;
};

}  // namespace hull::cgroups
