// SystemdManager's ownership rule, which needs no bus: a container whose unit never started
// (StartTransientUnit failed, e.g. UnitExists) must not remove the cgroup at the unit's path,
// which may be another container's; and where no systemd runs, the bus error names the field.
#include <gtest/gtest.h>
#include <unistd.h>

#include "cgroups/systemd.hpp"
#include "hull/error.hpp"

namespace hull::cgroups {
namespace {

struct RecordingManager : Manager {
  int* destroyed;
  std::string p = "/system.slice/hull-x.scope";
  std::vector<Hierarchy> h;
  explicit RecordingManager(int* d) : destroyed(d) {}
  void create() override {}
  void add(pid_t) override {}
  std::vector<pid_t> pids() const override { return {}; }
  void apply(const spec::LinuxResources&, const std::string&, bool) override {}
  Stats stats() const override { return {}; }
  void freeze(bool) override {}
  bool frozen() const override { return false; }
  void thaw_tree() override {}
  void destroy() override { ++*destroyed; }
  const std::string& path() const override { return p; }
  const std::vector<Hierarchy>& hierarchies() const override { return h; }
};

TEST(SystemdManager, DestroyLeavesTheCgroupOfAUnitItNeverStarted) {
  int destroyed = 0;
  SystemdManager m(parse_systemd_path("system.slice:hull:x", "x"),
                   std::make_unique<RecordingManager>(&destroyed), /*started=*/false);
  m.destroy();  // no bus is reached either: this test runs without systemd
  EXPECT_EQ(destroyed, 0);
}

TEST(SystemdManager, ErrorsFromTheBusNameCgroupsPath) {
  if (access("/run/systemd/system", F_OK) == 0) GTEST_SKIP() << "systemd runs here";
  int destroyed = 0;
  SystemdManager m(parse_systemd_path("system.slice:hull:x", "x"),
                   std::make_unique<RecordingManager>(&destroyed), /*started=*/false);
  try {
    m.create();
    FAIL() << "create reached a systemd that is not running";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "config.json: /linux/cgroupsPath: \"system.slice:hull:x\": --systemd-cgroup: "
              "systemd is not running on this host (no /run/systemd/system)");
  }
}

}  // namespace
}  // namespace hull::cgroups
