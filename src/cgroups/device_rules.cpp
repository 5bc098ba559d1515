#include "cgroups/device_rules.hpp"

#include "hull/error.hpp"

namespace hull::cgroups {
namespace {

std::string number(int64_t n) {
  return n < 0 ? "*" : std::to_string(n);
}

}  // namespace

const std::vector<DeviceRule>& default_device_rules() {
  static const std::vector<DeviceRule> rules = {
      {true, 'c', -1, -1, "m"},    {true, 'b', -1, -1, "m"},  // mknod of any node
      {true, 'c', 1, 3, "rwm"},                               // null
      {true, 'c', 1, 8, "rwm"},                               // random
      {true, 'c', 1, 7, "rwm"},                               // full
      {true, 'c', 5, 0, "rwm"},                               // tty
      {true, 'c', 1, 5, "rwm"},                               // zero
      {true, 'c', 1, 9, "rwm"},                               // urandom
      {true, 'c', 136, -1, "rwm"},                            // /dev/pts/*
      {true, 'c', 5, 2, "rwm"},                               // ptmx
      {true, 'c', 10, 200, "rwm"},                            // net/tun
  };
  return rules;
}

std::vector<DeviceRule> effective_device_rules(const std::vector<spec::LinuxDeviceCgroup>& rules,
                                               const std::string& origin) {
  std::vector<DeviceRule> out;
  for (size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    std::string where = origin + "/" + std::to_string(i);
    DeviceRule d;
    d.allow = r.allow;
    if (r.type.empty() || r.type == "a") {
      d.type = 'a';
    } else if (r.type == "c" || r.type == "b") {
      d.type = r.type[0];
    } else {
      throw Error(where + "/type: unknown device type \"" + r.type + "\" (expected a, b or c)");
    }
    d.major = r.major.value_or(-1);
    d.minor = r.minor.value_or(-1);
    if (d.major < -1) throw Error(where + "/major: must be -1 (any) or a device number");
    if (d.minor < -1) throw Error(where + "/minor: must be -1 (any) or a device number");
    d.access = r.access.empty() ? "rwm" : r.access;
    for (char c : d.access) {
      if (c != 'r' && c != 'w' && c != 'm') {
        throw Error(where + "/access: \"" + r.access + "\" may only hold r, w and m");
      }
    }
    out.push_back(d);
  }
  const auto& defaults = default_device_rules();
  out.insert(out.end(), defaults.begin(), defaults.end());
  return out;
}

std::string v1_rule_text(const DeviceRule& r) {
  if (r.type == 'a') return "a";
  return std::string(1, r.type) + " " + number(r.major) + ":" + number(r.minor) + " " + r.access;
}

}  // namespace hull::cgroups
