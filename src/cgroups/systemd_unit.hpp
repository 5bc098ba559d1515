// The systemd side of --systemd-cgroup that needs no bus: where runc's "slice:prefix:name"
// puts the container (unit name, parent slice, cgroupfs path) and which unit properties a
// config's resources become. Pure, so the unit tests check them exactly.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "spec/model.hpp"

namespace hull::cgroups {

inline constexpr const char* kCgroupsPathField = "config.json: /linux/cgroupsPath";

struct SystemdUnit {
  std::string slice;  // parent slice ("system.slice"; "-.slice" for the root slice)
  std::string name;   // "hull-<id>.scope", or the name itself when it is a slice
  std::string path;   // cgroupfs path systemd gives the unit ("/system.slice/hull-x.scope")
  // What every error about the unit starts with: the field it came from and its value
  // ("config.json: /linux/cgroupsPath: \"system.slice:hull:x\"").
  std::string origin = kCgroupsPathField;
  bool is_slice() const { return name.ends_with(".slice"); }
};

// "slice:prefix:name" (runc's format); empty means ":hull:<id>". An empty slice is
// system.slice, "-.slice" the root slice (a bare "-" is refused, as runc refuses it), an
// empty prefix joins with its dash ("-name.scope"), and a name ending in ".slice" makes the
// container a slice of its own, under the parent slice. Throws naming /linux/cgroupsPath when
// the parts are not systemd unit names.
SystemdUnit parse_systemd_path(const std::string& cgroups_path, const std::string& id);

// "a-b.slice" -> "/a.slice/a-b.slice"; "-.slice" -> "". Throws for malformed slice names.
std::string expand_slice(const std::string& slice);

// One unit property as D-Bus wants it; the alternative held is its signature.
using DevicePaths = std::vector<std::pair<std::string, std::string>>;  // a(ss)
using DeviceLimits = std::vector<std::pair<std::string, uint64_t>>;    // a(st)
using PropertyValue =
    std::variant<bool, std::string, uint64_t, std::vector<uint32_t>, std::vector<uint8_t>,
                 DevicePaths, DeviceLimits, std::vector<std::string>>;
struct Property {
  std::string name;
  PropertyValue value;
  bool operator==(const Property&) const = default;
};

// systemd's "infinity" for the limits that take one.
inline constexpr uint64_t kInfinity = UINT64_MAX;

// Looks up a block device node ("/dev/sda") for major:minor; empty when there is none.
using BlockDeviceLookup = std::string (*)(int64_t major, int64_t minor);
std::string block_device_node(int64_t major, int64_t minor);

// The properties systemd knows for these resources (runc's conversion: MemoryMax/Low/High/
// SwapMax, CPUWeight, CPUQuotaPerSecUSec/CPUQuotaPeriodUSec, AllowedCPUs/AllowedMemoryNodes,
// TasksMax, IOWeight and the per-device IO limits, DevicePolicy/DeviceAllow). Everything else
// is left to the cgroup files. With update set, absent fields give no property and the device
// rules are left alone. origin names the resources in errors.
std::vector<Property> resource_properties(const spec::LinuxResources& r, const std::string& origin,
                                          bool update,
                                          BlockDeviceLookup lookup = block_device_node);

// The properties every container unit gets: description, no default dependencies, accounting
// on; a scope its Slice=, Delegate=yes and the pids it starts with; a slice Wants= its parent
// slice (runc's way of placing a slice: a slice's parent comes from its name).
std::vector<Property> unit_properties(const SystemdUnit& u, const std::vector<uint32_t>& pids);

// "0-2,7" -> the bitmask bytes AllowedCPUs= takes (byte i holds cpus 8i..8i+7). Throws naming
// field for a malformed list.
std::vector<uint8_t> cpu_list_mask(const std::string& list, const std::string& field);

// A property rendered for messages and tests: "MemoryMax=67108864".
std::string to_string(const Property& p);

}  // namespace hull::cgroups
