// --systemd-cgroup without a bus: cgroupsPath to unit and path, resources to properties.
#include "cgroups/systemd_unit.hpp"

#include <gtest/gtest.h>

#include "hull/error.hpp"
#include "support/error_of.hpp"

namespace hull::cgroups {
namespace {

using hull::test::error_of;

const Property* find(const std::vector<Property>& props, const std::string& name) {
  for (const auto& p : props) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string prop(const std::vector<Property>& props, const std::string& name) {
  const Property* p = find(props, name);
  return p ? to_string(*p) : "(absent)";
}

std::string no_node(int64_t, int64_t) {
  return "";
}
std::string sd_node(int64_t major, int64_t minor) {
  return major == 8 && minor == 0 ? "/dev/sda" : "";
}

TEST(SystemdPath, DefaultsAsRunc) {
  auto u = parse_systemd_path("", "c1");
  EXPECT_EQ(u.slice, "system.slice");
  EXPECT_EQ(u.name, "hull-c1.scope");
  EXPECT_EQ(u.path, "/system.slice/hull-c1.scope");
  u = parse_systemd_path(":pfx:c2", "id");
  EXPECT_EQ(u.path, "/system.slice/pfx-c2.scope");
  // runc joins an empty prefix with its dash too.
  EXPECT_EQ(parse_systemd_path("machine.slice::c3", "id").name, "-c3.scope");
}

TEST(SystemdPath, SlicesExpandLikeSystemd) {
  EXPECT_EQ(parse_systemd_path("a-b-c.slice:p:n", "id").path,
            "/a.slice/a-b.slice/a-b-c.slice/p-n.scope");
  EXPECT_EQ(parse_systemd_path("-.slice:p:n", "id").path, "/p-n.scope");
  EXPECT_EQ(expand_slice("user-1000.slice"), "/user.slice/user-1000.slice");
  EXPECT_EQ(expand_slice("-.slice"), "");
}

TEST(SystemdPath, OriginNamesTheFieldAndItsValue) {
  EXPECT_EQ(parse_systemd_path("system.slice:p:n", "id").origin,
            "config.json: /linux/cgroupsPath: \"system.slice:p:n\"");
  EXPECT_EQ(parse_systemd_path("", "id").origin, "config.json: /linux/cgroupsPath: \"\"");
  EXPECT_EQ(SystemdUnit{}.origin, "config.json: /linux/cgroupsPath");
}

TEST(SystemdPath, ContainerSlice) {
  auto u = parse_systemd_path("system.slice:ignored:hull-x.slice", "id");
  EXPECT_TRUE(u.is_slice());
  EXPECT_EQ(u.name, "hull-x.slice");
  EXPECT_EQ(u.path, "/hull.slice/hull-x.slice");
}

TEST(SystemdPath, ErrorsNameCgroupsPath) {
  EXPECT_EQ(error_of([] { parse_systemd_path("/a/b", "id"); }),
            "config.json: /linux/cgroupsPath: \"/a/b\": expected slice:prefix:name with "
            "--systemd-cgroup");
  EXPECT_EQ(error_of([] { parse_systemd_path("a:b:c:d", "id"); }),
            "config.json: /linux/cgroupsPath: \"a:b:c:d\": expected slice:prefix:name with "
            "--systemd-cgroup");
  EXPECT_EQ(error_of([] { parse_systemd_path("system.slice:p:", "id"); }),
            "config.json: /linux/cgroupsPath: \"system.slice:p:\": the name part is empty");
  EXPECT_EQ(error_of([] { parse_systemd_path("a/b.slice:p:n", "id"); }),
            "config.json: /linux/cgroupsPath: \"a/b.slice:p:n\": \"a/b.slice\" is not a slice name "
            "(expected "
            "NAME.slice, no \"/\")");
  EXPECT_EQ(error_of([] { parse_systemd_path("system:p:n", "id"); }),
            "config.json: /linux/cgroupsPath: \"system:p:n\": \"system\" is not a slice name "
            "(expected NAME.slice, "
            "no \"/\")");
  EXPECT_EQ(error_of([] { parse_systemd_path("a--b.slice:p:n", "id"); }),
            "config.json: /linux/cgroupsPath: \"a--b.slice:p:n\": slice \"a--b.slice\": dashes "
            "separate parent "
            "slices and cannot be empty");
  EXPECT_EQ(error_of([] { parse_systemd_path("system.slice:p:a b", "id"); }),
            "config.json: /linux/cgroupsPath: \"system.slice:p:a b\": \"p-a b.scope\" is not a "
            "valid systemd unit "
            "name");
  // runc refuses a bare "-" (not a slice name); it is not the root slice, "-.slice".
  EXPECT_EQ(error_of([] { parse_systemd_path("-:p:n", "id"); }),
            "config.json: /linux/cgroupsPath: \"-:p:n\": \"-\" is not a slice name (the root "
            "slice is \"-.slice\")");
  EXPECT_EQ(error_of([] { parse_systemd_path("-::x.slice", "id"); }),
            "config.json: /linux/cgroupsPath: \"-::x.slice\": \"-\" is not a slice name (the "
            "root slice is \"-.slice\")");
  EXPECT_EQ(error_of([] { parse_systemd_path("system.slice:p:../x", "id"); }),
            "config.json: /linux/cgroupsPath: \"system.slice:p:../x\": \"p-../x.scope\" is not a "
            "valid systemd unit "
            "name");
}

TEST(SystemdProperties, MemoryCpuPids) {
  spec::LinuxResources r;
  r.memory = spec::LinuxMemory{};
  r.memory->limit = 67108864;
  r.memory->reservation = 33554432;
  r.memory->swap = 134217728;
  r.cpu = spec::LinuxCPU{};
  r.cpu->shares = 512;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.pids = spec::LinuxPids{20};
  auto p = resource_properties(r, "config.json: /linux/resources", true, no_node);
  EXPECT_EQ(prop(p, "MemoryMax"), "MemoryMax=67108864");
  EXPECT_EQ(prop(p, "MemoryLow"), "MemoryLow=33554432");
  EXPECT_EQ(prop(p, "MemorySwapMax"), "MemorySwapMax=67108864");
  EXPECT_EQ(prop(p, "CPUWeight"), "CPUWeight=20");
  EXPECT_EQ(prop(p, "CPUQuotaPeriodUSec"), "CPUQuotaPeriodUSec=100000");
  EXPECT_EQ(prop(p, "CPUQuotaPerSecUSec"), "CPUQuotaPerSecUSec=500000");
  EXPECT_EQ(prop(p, "TasksMax"), "TasksMax=20");
  EXPECT_EQ(find(p, "DevicePolicy"), nullptr) << "update leaves the device rules alone";
}

TEST(SystemdProperties, UnlimitedAndRounding) {
  spec::LinuxResources r;
  r.memory = spec::LinuxMemory{};
  r.memory->limit = -1;
  r.memory->swap = -1;
  r.cpu = spec::LinuxCPU{};
  r.cpu->quota = 12345;  // 123450 us/s: systemd keeps 10 ms steps, rounded up as runc
  r.pids = spec::LinuxPids{-1};
  auto p = resource_properties(r, "o", true, no_node);
  EXPECT_EQ(prop(p, "MemoryMax"), "MemoryMax=infinity");
  EXPECT_EQ(prop(p, "MemorySwapMax"), "MemorySwapMax=infinity");
  EXPECT_EQ(prop(p, "CPUQuotaPerSecUSec"), "CPUQuotaPerSecUSec=130000");
  EXPECT_EQ(prop(p, "CPUQuotaPeriodUSec"), "(absent)");
  EXPECT_EQ(prop(p, "TasksMax"), "TasksMax=infinity");
  r.cpu->quota = -1;
  r.cpu->period = 50000;
  p = resource_properties(r, "o", true, no_node);
  EXPECT_EQ(prop(p, "CPUQuotaPerSecUSec"), "CPUQuotaPerSecUSec=infinity");
  EXPECT_EQ(prop(p, "CPUQuotaPeriodUSec"), "CPUQuotaPeriodUSec=50000");
}

TEST(SystemdProperties, SwapErrorNamesField) {
  spec::LinuxResources r;
  r.memory = spec::LinuxMemory{};
  r.memory->limit = 100;
  r.memory->swap = 50;
  EXPECT_EQ(error_of([&] { resource_properties(r, "config.json: /linux/resources", false); }),
            "config.json: /linux/resources/memory/swap: the memory+swap limit 50 is below the "
            "memory limit 100");
}

TEST(SystemdProperties, CpusetMasks) {
  EXPECT_EQ(cpu_list_mask("0", "f"), (std::vector<uint8_t>{0x01}));
  EXPECT_EQ(cpu_list_mask("0-2,7", "f"), (std::vector<uint8_t>{0x87}));
  EXPECT_EQ(cpu_list_mask("9", "f"), (std::vector<uint8_t>{0x00, 0x02}));
  EXPECT_EQ(cpu_list_mask("1,3-4\n", "f"), (std::vector<uint8_t>{0x1a}));
  for (const char* bad : {"", "a", "3-1", "1,", "-1", "1-", "70000"}) {
    EXPECT_EQ(
        error_of([&] { cpu_list_mask(bad, "config.json: /linux/resources/cpu/cpus"); }),
        std::string("config.json: /linux/resources/cpu/cpus: \"") + bad + "\" is not a CPU list")
        << bad;
  }
  spec::LinuxResources r;
  r.cpu = spec::LinuxCPU{};
  r.cpu->cpus = "0-1";
  r.cpu->mems = "0";
  auto p = resource_properties(r, "o", true, no_node);
  EXPECT_EQ(prop(p, "AllowedCPUs"), "AllowedCPUs=03");
  EXPECT_EQ(prop(p, "AllowedMemoryNodes"), "AllowedMemoryNodes=01");
}

TEST(SystemdProperties, UnifiedWinsOverConverted) {
  spec::LinuxResources r;
  r.memory = spec::LinuxMemory{};
  r.memory->limit = 1000;
  r.unified = {{"memory.max", "2000"}, {"memory.high", "max"}, {"pids.max", "7"},
               {"memory.min", "5"},    {"cpu.weight", "300"},  {"io.weight", "default 10"}};
  auto p = resource_properties(r, "o", true, no_node);
  EXPECT_EQ(prop(p, "MemoryMax"), "MemoryMax=2000");
  EXPECT_EQ(prop(p, "MemoryHigh"), "MemoryHigh=infinity");
  EXPECT_EQ(prop(p, "MemoryMin"), "MemoryMin=5");
  EXPECT_EQ(prop(p, "TasksMax"), "TasksMax=7");
  EXPECT_EQ(prop(p, "CPUWeight"), "CPUWeight=300");
  size_t max_count = 0;
  for (const auto& x : p) max_count += x.name == "MemoryMax";
  EXPECT_EQ(max_count, 1u);
  r.unified = {{"memory.high", "lots"}};
  EXPECT_EQ(error_of([&] { resource_properties(r, "config.json: /linux/resources", true); }),
            "config.json: /linux/resources/unified/memory.high: \"lots\" is not a number or "
            "\"max\"");
}

TEST(SystemdProperties, BlockIO) {
  spec::LinuxResources r;
  r.blockIO.emplace();  // not = LinuxBlockIO{}: GCC 12 -Os warns falsely on that move
  r.blockIO->weight = 500;
  r.blockIO->weightDevice = {{8, 0, 100, std::nullopt}, {9, 9, 100, std::nullopt}};
  r.blockIO->throttleReadBpsDevice = {{8, 0, 1048576}};
  r.blockIO->throttleWriteIOPSDevice = {{8, 0, 100}, {9, 9, 5}};
  auto p = resource_properties(r, "o", true, sd_node);
  EXPECT_EQ(prop(p, "IOWeight"), "IOWeight=4950");
  EXPECT_EQ(prop(p, "IODeviceWeight"), "IODeviceWeight=/dev/sda:910");
  EXPECT_EQ(prop(p, "IOReadBandwidthMax"), "IOReadBandwidthMax=/dev/sda:1048576");
  EXPECT_EQ(prop(p, "IOWriteIOPSMax"), "IOWriteIOPSMax=/dev/sda:100");
  EXPECT_EQ(prop(p, "IOWriteBandwidthMax"), "(absent)");
}

TEST(SystemdProperties, DevicesStrictWithDefaults) {
  spec::LinuxResources r;
  r.devices = {{false, "a", std::nullopt, std::nullopt, "rwm"},
               {true, "c", 10, 200, "rw"},
               {true, "b", 7, std::nullopt, "r"}};
  auto p = resource_properties(r, "o", false, no_node);
  EXPECT_EQ(prop(p, "DevicePolicy"), "DevicePolicy=strict");
  std::string allow = prop(p, "DeviceAllow");
  EXPECT_NE(allow.find("/dev/char/10:200:rw"), std::string::npos) << allow;
  EXPECT_NE(allow.find("block-*:r"), std::string::npos) << allow;
  EXPECT_NE(allow.find("/dev/char/1:3:rwm"), std::string::npos) << allow;  // /dev/null
  EXPECT_NE(allow.find("char-*:m"), std::string::npos) << allow;           // mknod
}

TEST(SystemdProperties, DevicesAllowAll) {
  spec::LinuxResources r;
  r.devices = {{true, "a", std::nullopt, std::nullopt, "rwm"}};
  auto p = resource_properties(r, "o", false, no_node);
  EXPECT_EQ(prop(p, "DevicePolicy"), "DevicePolicy=auto");
  EXPECT_EQ(prop(p, "DeviceAllow"), "DeviceAllow=");
  r.devices = {{false, "x", std::nullopt, std::nullopt, "rwm"}};
  EXPECT_NE(error_of([&] {
              resource_properties(r, "config.json: /linux/resources", false);
            }).find("config.json: /linux/resources/devices"),
            std::string::npos);
}

TEST(SystemdProperties, UnitBasics) {
  SystemdUnit u = parse_systemd_path("", "c1");
  auto p = unit_properties(u, {42});
  EXPECT_EQ(prop(p, "Slice"), "Slice=system.slice");
  EXPECT_EQ(prop(p, "Delegate"), "Delegate=yes");
  EXPECT_EQ(prop(p, "PIDs"), "PIDs=42");
  EXPECT_EQ(prop(p, "MemoryAccounting"), "MemoryAccounting=yes");
  EXPECT_EQ(find(p, "Wants"), nullptr);
  // A slice is placed as runc places one: Wants= its parent, no Slice=, pids or Delegate.
  SystemdUnit s = parse_systemd_path("::x.slice", "c1");
  p = unit_properties(s, {});
  EXPECT_EQ(prop(p, "Wants"), "Wants=system.slice");
  EXPECT_EQ(find(p, "Slice"), nullptr);
  EXPECT_EQ(find(p, "PIDs"), nullptr);
  EXPECT_EQ(find(p, "Delegate"), nullptr);
  p = unit_properties(parse_systemd_path("-.slice:p:y.slice", "c1"), {});
  EXPECT_EQ(prop(p, "Wants"), "Wants=-.slice");
}

}  // namespace
}  // namespace hull::cgroups
