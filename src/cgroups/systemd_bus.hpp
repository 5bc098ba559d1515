// A client of systemd's manager over D-Bus (libdbus-1): start, change and stop the transient
// units of --systemd-cgroup, each call waiting for its job to finish. Every error names the
// unit and carries systemd's own message.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cgroups/systemd_unit.hpp"

struct DBusConnection;

namespace hull::cgroups {

class SystemdBus {
 public:
  // Connects to systemd on the system bus, as runc ($DBUS_SYSTEM_BUS_ADDRESS, else
  // /run/dbus/system_bus_socket). Throws a --systemd-cgroup error that says where it looked.
  SystemdBus();
  ~SystemdBus();
  SystemdBus(const SystemdBus&) = delete;
  SystemdBus& operator=(const SystemdBus&) = delete;

  // StartTransientUnit(unit, "replace", props) and waits for the job's JobRemoved.
  void start_unit(const std::string& unit, const std::vector<Property>& props);
  // SetUnitProperties(unit, runtime=true, props).
  void set_properties(const std::string& unit, const std::vector<Property>& props);
  // StopUnit(unit, "replace") and waits; a unit systemd no longer has is already stopped.
  void stop_unit(const std::string& unit);

 private:
  void wait_job(const std::string& unit, const std::string& job, const char* what);
  DBusConnection* conn_ = nullptr;
};

}  // namespace hull::cgroups
