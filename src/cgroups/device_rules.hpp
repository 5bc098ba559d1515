// Device access rules: the config's list checked and completed with the devices every
// container needs (runc's defaults), then rendered for v1's devices.allow/deny or compiled to
// an eBPF program on v2.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::cgroups {

struct DeviceRule {
  bool allow = false;
  char type = 'a';     // 'a' (all), 'c', 'b'
  int64_t major = -1;  // -1: any
  int64_t minor = -1;
  std::string access = "rwm";
};

// Validates the config's rules (type a|b|c, access from "rwm", numbers >= -1) and appends
// default_device_rules(), runc 1.1's list: mknod of any char or block node, and rwm on null,
// zero, full, random, urandom, tty, ptmx, /dev/pts/* and /dev/net/tun.
// origin names the list for errors ("config.json: /linux/resources/devices").
std::vector<DeviceRule> effective_device_rules(const std::vector<spec::LinuxDeviceCgroup>& rules,
                                               const std::string& origin);
const std::vector<DeviceRule>& default_device_rules();

// "c 1:3 rwm", "b *:* m", or "a" (every device).
std::string v1_rule_text(const DeviceRule& r);

}  // namespace hull::cgroups
