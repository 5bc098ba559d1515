#include "cgroups/systemd.hpp"

#include "hull/error.hpp"

namespace hull::cgroups {

SystemdManager::SystemdManager(SystemdUnit u, std::unique_ptr<Manager> fs, bool started)
    : unit_(std::move(u)), fs_(std::move(fs)), started_(started) {}

SystemdBus& SystemdManager::bus() {
  if (!bus_) bus_ = std::make_unique<SystemdBus>();
  return *bus_;
}

template <typename F>
void SystemdManager::on_bus(F&& f) {
  with_context(unit_.origin, [&] { f(bus()); });
}

void SystemdManager::create() {
  on_bus([](SystemdBus&) {});
}

void SystemdManager::apply(const spec::LinuxResources& r, const std::string& origin, bool update) {
  std::vector<Property> props = resource_properties(r, origin, update);
  if (!started_) {
    pending_ = r;
    pending_origin_ = origin;
    pending_props_ = std::move(props);
    return;
  }
  if (!props.empty()) on_bus([&](SystemdBus& b) { b.set_properties(unit_.name, props); });
  fs_->apply(r, origin, update);
}

void SystemdManager::add(pid_t pid) {
  if (started_) {
    fs_->add(pid);
    return;
  }
  std::vector<Property> props =
      unit_properties(unit_, unit_.is_slice() ? std::vector<uint32_t>{}
                                              : std::vector<uint32_t>{static_cast<uint32_t>(pid)});
  props.insert(props.end(), pending_props_.begin(), pending_props_.end());
  on_bus([&](SystemdBus& b) { b.start_unit(unit_.name, props); });
  started_ = true;
  // systemd made the unit's cgroup where it has controllers; the cgroupfs manager adds the
  // hierarchies it left out (v1) and moves the init there too (and into a slice, which
  // systemd starts empty). On v2 the scope already holds it.
  if (host_layout() == Layout::kV1 || unit_.is_slice()) {
    fs_->create();
    fs_->add(pid);
  }
  if (pending_) fs_->apply(*pending_, pending_origin_, false);
  pending_.reset();
}

void SystemdManager::destroy() {
  // A unit this container never started (its start failed: UnitExists) may be another
  // container's, cgroup and all: leave both alone.
  if (!started_) return;
  on_bus([&](SystemdBus& b) { b.stop_unit(unit_.name); });
  fs_->destroy();
}

}  // namespace hull::cgroups
