#include "cgroups/systemd_unit.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "cgroups/convert.hpp"
#include "cgroups/device_rules.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"

namespace hull::cgroups {
namespace {

bool valid_unit_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '\\' || c == '@';
}

void check_unit_name(const std::string& unit) {
  bool ok = !unit.empty() && unit.size() <= 255 && unit.front() != '.' &&
            std::all_of(unit.begin(), unit.end(), valid_unit_char);
  if (!ok) throw Error("\"" + unit + "\" is not a valid systemd unit name");
}

// Replaces (or appends) a property, so explicit unified keys win over converted fields.
void set(std::vector<Property>& props, std::string name, PropertyValue v) {
  for (auto& p : props) {
    if (p.name == name) {
      p.value = std::move(v);
      return;
    }
  }
  props.push_back({std::move(name), std::move(v)});
}

uint64_t limit(int64_t v) {
  return v < 0 ? kInfinity : static_cast<uint64_t>(v);
}

uint64_t parse_unified(const std::string& key, const std::string& value,
                       const std::string& origin) {
  std::string t = value;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  if (t == "max") return kInfinity;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty()) {
    throw Error(origin + "/unified/" + key + ": \"" + value + "\" is not a number or \"max\"");
  }
  return v;
}

void cpu_quota(std::vector<Property>& props, const spec::LinuxCPU& c) {
  int64_t quota = c.quota.value_or(0);
  uint64_t period = c.period.value_or(0);
  if (period != 0) set(props, "CPUQuotaPeriodUSec", period);
  if (quota == 0 && period == 0) return;
  uint64_t per_sec = kInfinity;
  if (quota > 0) {
    // systemd keeps the quota per second in 10 ms steps: round up as runc does; the exact
    // value reaches cpu.max through the file write that follows.
    uint64_t p = period ? period : 100000;
    per_sec = static_cast<uint64_t>(quota) * 1000000 / p;
    if (per_sec % 10000 != 0) per_sec = (per_sec / 10000 + 1) * 10000;
  }
  set(props, "CPUQuotaPerSecUSec", per_sec);
}

void memory(std::vector<Property>& props, const spec::LinuxMemory& m, const std::string& origin) {
  if (m.limit && *m.limit != 0) set(props, "MemoryMax", limit(*m.limit));
  if (m.reservation && *m.reservation != 0) set(props, "MemoryLow", limit(*m.reservation));
  if (m.swap && *m.swap != 0) {
    int64_t v = with_context(origin + "/memory/swap",
                             [&] { return swap_to_v2(*m.swap, m.limit.value_or(0)); });
    set(props, "MemorySwapMax", limit(v));
  }
}

void io(std::vector<Property>& props, const spec::LinuxBlockIO& b, BlockDeviceLookup lookup) {
  if (b.weight && *b.weight) set(props, "IOWeight", blkio_weight_to_io_weight(*b.weight));
  // Devices systemd cannot name by a node are left to io.weight / io.max alone.
  DeviceLimits weights;
  for (const auto& d : b.weightDevice) {
    std::string node = lookup(d.major, d.minor);
    if (d.weight && !node.empty()) weights.push_back({node, blkio_weight_to_io_weight(*d.weight)});
  }
  if (!weights.empty()) set(props, "IODeviceWeight", weights);
  auto limits = [&](const std::vector<spec::LinuxThrottleDevice>& list, const char* name) {
    DeviceLimits out;
    for (const auto& d : list) {
      std::string node = lookup(d.major, d.minor);
      if (!node.empty()) out.push_back({node, d.rate});
    }
    if (!out.empty()) set(props, name, out);
  };
  limits(b.throttleReadBpsDevice, "IOReadBandwidthMax");
  limits(b.throttleWriteBpsDevice, "IOWriteBandwidthMax");
  limits(b.throttleReadIOPSDevice, "IOReadIOPSMax");
  limits(b.throttleWriteIOPSDevice, "IOWriteIOPSMax");
}

// systemd's own device program only adds to hull's (every attached program must allow an
// access), so its list may be wider than the rules but never narrower: rules it cannot
// express exactly (a major with any minor, denials other than "deny everything") widen to
// the whole class, and hull's eBPF program or v1 devices file still enforces them exactly.
void devices(std::vector<Property>& props, const std::vector<spec::LinuxDeviceCgroup>& rules,
             const std::string& origin) {
  DevicePaths allow;
  bool all = false;
  for (const auto& r : effective_device_rules(rules, origin + "/devices")) {
    bool rwm = r.access.find('r') != std::string::npos && r.access.find('w') != std::string::npos &&
               r.access.find('m') != std::string::npos;
    if (!r.allow) {
      if (r.type == 'a' && rwm) {
        allow.clear();
        all = false;
      }
      continue;
    }
    if (r.type == 'a') {
      if (rwm) all = true;
      allow.push_back({"char-*", r.access});
      allow.push_back({"block-*", r.access});
      continue;
    }
    std::string cls = r.type == 'c' ? "char" : "block";
    if (r.major < 0 || r.minor < 0) {
      allow.push_back({cls + "-*", r.access});
    } else {
      allow.push_back(
          {"/dev/" + cls + "/" + std::to_string(r.major) + ":" + std::to_string(r.minor),
           r.access});
    }
  }
  if (all) {
    set(props, "DevicePolicy", std::string("auto"));
    set(props, "DeviceAllow", DevicePaths{});
  } else {
    set(props, "DevicePolicy", std::string("strict"));
    set(props, "DeviceAllow", allow);
  }
}

}  // namespace

std::string expand_slice(const std::string& slice) {
  const std::string suffix = ".slice";
  if (slice == "-.slice") return "";
  if (!slice.ends_with(suffix) || slice.size() == suffix.size() ||
      slice.find('/') != std::string::npos) {
    throw Error("\"" + slice + "\" is not a slice name (expected NAME.slice, no \"/\")");
  }
  std::string base = slice.substr(0, slice.size() - suffix.size());
  if (base.front() == '-' || base.back() == '-' || base.find("--") != std::string::npos) {
    throw Error("slice \"" + slice + "\": dashes separate parent slices and cannot be empty");
  }
  std::string out;
  for (size_t pos = base.find('-'); pos != std::string::npos; pos = base.find('-', pos + 1)) {
    out += "/" + base.substr(0, pos) + suffix;
  }
  return out + "/" + slice;
}

SystemdUnit parse_systemd_path(const std::string& cgroups_path, const std::string& id) {
  SystemdUnit u;
  u.origin = std::string(kCgroupsPathField) + ": \"" + cgroups_path + "\"";
  with_context(u.origin, [&] {
    std::string slice, prefix = "hull", name = id;
    if (!cgroups_path.empty()) {
      auto c1 = cgroups_path.find(':');
      auto c2 = c1 == std::string::npos ? c1 : cgroups_path.find(':', c1 + 1);
      if (c2 == std::string::npos || cgroups_path.find(':', c2 + 1) != std::string::npos) {
        throw Error("expected slice:prefix:name with --systemd-cgroup");
      }
      slice = cgroups_path.substr(0, c1);
      prefix = cgroups_path.substr(c1 + 1, c2 - c1 - 1);
      name = cgroups_path.substr(c2 + 1);
    }
    if (name.empty()) throw Error("the name part is empty");
    // runc's ExpandSlice refuses "-" as it refuses any name without ".slice"; the root slice
    // is "-.slice".
    if (slice == "-") throw Error("\"-\" is not a slice name (the root slice is \"-.slice\")");
    u.slice = slice.empty() ? "system.slice" : slice;
    // As runc: a scope is "<prefix>-<name>.scope", a name that is a slice is used as it is.
    u.name = name.ends_with(".slice") ? name : prefix + "-" + name + ".scope";
    check_unit_name(u.name);
    std::string parent = expand_slice(u.slice);
    u.path = u.is_slice() ? expand_slice(u.name) : parent + "/" + u.name;
  });
  return u;
}

std::string block_device_node(int64_t major, int64_t minor) {
  auto text = linux_::try_read_file("/sys/dev/block/" + std::to_string(major) + ":" +
                                    std::to_string(minor) + "/uevent");
  if (!text) return "";
  auto at = text->find("DEVNAME=");
  if (at == std::string::npos) return "";
  auto end = text->find('\n', at);
  std::string node = "/dev/" + text->substr(at + 8, end == std::string::npos ? end : end - at - 8);
  return linux_::exists(node) ? node : "";
}

std::vector<uint8_t> cpu_list_mask(const std::string& list, const std::string& field) {
  std::vector<uint8_t> mask;
  auto bad = [&]() -> Error { return Error(field + ": \"" + list + "\" is not a CPU list"); };
  auto number = [&](const std::string& s) {
    unsigned v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || v >= 65536) throw bad();
    return v;
  };
  size_t start = 0;
  std::string t = list;
  while (!t.empty() && (t.back() == '\n' || t.back() == ' ')) t.pop_back();
  if (t.empty()) throw bad();
  while (start <= t.size()) {
    size_t comma = t.find(',', start);
    std::string item = t.substr(start, comma == std::string::npos ? comma : comma - start);
    size_t dash = item.find('-');
    unsigned lo = number(item.substr(0, dash));
    unsigned hi = dash == std::string::npos ? lo : number(item.substr(dash + 1));
    if (hi < lo) throw bad();
    if (mask.size() < hi / 8 + 1) mask.resize(hi / 8 + 1, 0);
    for (unsigned c = lo; c <= hi; ++c) mask[c / 8] |= static_cast<uint8_t>(1u << (c % 8));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return mask;
}

std::vector<Property> resource_properties(const spec::LinuxResources& r, const std::string& origin,
                                          bool update, BlockDeviceLookup lookup) {
  std::vector<Property> props;
  if (r.memory) memory(props, *r.memory, origin);
  if (r.cpu) {
    const auto& c = *r.cpu;
    if (c.shares && *c.shares) set(props, "CPUWeight", shares_to_weight(*c.shares));
    cpu_quota(props, c);
    if (!c.cpus.empty()) set(props, "AllowedCPUs", cpu_list_mask(c.cpus, origin + "/cpu/cpus"));
    if (!c.mems.empty()) {
      set(props, "AllowedMemoryNodes", cpu_list_mask(c.mems, origin + "/cpu/mems"));
    }
  }
  if (r.pids && r.pids->limit && *r.pids->limit != 0) {
    set(props, "TasksMax", limit(*r.pids->limit));
  }
  if (r.blockIO) io(props, *r.blockIO, lookup);
  static const std::vector<std::pair<std::string, std::string>> kUnified = {
      {"memory.high", "MemoryHigh"},        {"memory.max", "MemoryMax"},
      {"memory.low", "MemoryLow"},          {"memory.min", "MemoryMin"},
      {"memory.swap.max", "MemorySwapMax"}, {"pids.max", "TasksMax"},
      {"cpu.weight", "CPUWeight"}};
  for (const auto& [key, value] : r.unified) {
    for (const auto& [file, prop] : kUnified) {
      if (key == file) set(props, prop, parse_unified(key, value, origin));
    }
    if (key == "cpuset.cpus") {
      set(props, "AllowedCPUs", cpu_list_mask(value, origin + "/unified/cpuset.cpus"));
    }
    if (key == "cpuset.mems") {
      set(props, "AllowedMemoryNodes", cpu_list_mask(value, origin + "/unified/cpuset.mems"));
    }
  }
  if (!update) devices(props, r.devices, origin);
  return props;
}

std::vector<Property> unit_properties(const SystemdUnit& u, const std::vector<uint32_t>& pids) {
  std::vector<Property> props = {{"Description", "hull container " + u.name}};
  if (u.is_slice()) {
    props.push_back({"Wants", std::vector<std::string>{u.slice}});
  } else {
    props.push_back({"Slice", u.slice});
    props.push_back({"Delegate", true});
    props.push_back({"PIDs", pids});
  }
  props.push_back({"DefaultDependencies", false});
  for (const char* a : {"MemoryAccounting", "CPUAccounting", "IOAccounting", "TasksAccounting"}) {
    props.push_back({a, true});
  }
  return props;
}

std::string to_string(const Property& p) {
  std::string out = p.name + "=";
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          out += v ? "yes" : "no";
        } else if constexpr (std::is_same_v<T, std::string>) {
          out += v;
        } else if constexpr (std::is_same_v<T, uint64_t>) {
          out += v == kInfinity ? "infinity" : std::to_string(v);
        } else if constexpr (std::is_same_v<T, std::vector<uint8_t>>) {
          char hex[3];
          for (uint8_t b : v) {
            std::snprintf(hex, sizeof hex, "%02x", b);
            out += hex;
          }
        } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + v[i];
        } else if constexpr (std::is_same_v<T, std::vector<uint32_t>>) {
          for (size_t i = 0; i < v.size(); ++i) out += (i ? " " : "") + std::to_string(v[i]);
        } else if constexpr (std::is_same_v<T, DevicePaths>) {
          for (size_t i = 0; i < v.size(); ++i)
            out += (i ? " " : "") + v[i].first + ":" + v[i].second;
        } else {
          for (size_t i = 0; i < v.size(); ++i) {
            out += (i ? " " : "") + v[i].first + ":" + std::to_string(v[i].second);
          }
        }
      },
      p.value);
  return out;
}

}  // namespace hull::cgroups
