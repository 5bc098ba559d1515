// V1Manager against the host's real v1 hierarchies (skipped where the host has none).
#include "cgroups/v1.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups/fs_util.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"
#include "support/error_of.hpp"

namespace hull::cgroups {
namespace {

class V1 : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0 || host_layout() != Layout::kV1 ||
        !linux_::exists("/sys/fs/cgroup/memory/cgroup.procs")) {
      GTEST_SKIP() << "needs root and cgroup v1 hierarchies";
    }
    std::string id = "hull-unit-" + std::to_string(::getpid());
    m_ = open_manager("/" + id, id, false);
    m_->create();
  }
  void TearDown() override {
    if (m_) m_->destroy();
  }
  std::string file(const std::string& controller, const std::string& name) {
    auto* v1 = static_cast<V1Manager*>(m_.get());
    return trim(linux_::read_file(v1->find(controller)->dir + "/" + name));
  }
  std::string error_of(const spec::LinuxResources& r) {
    return hull::test::error_of([&] { m_->apply(r, "config.json: /linux/resources", false); });
  }
  std::unique_ptr<Manager> m_;
};

}  // namespace

TEST_F(V1, EveryV1ResourceLandsInItsFile) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->limit = 64 << 20;
  r.memory->swap = 128 << 20;
  r.memory->reservation = 32 << 20;
  r.memory->swappiness = 10;
  r.memory->disableOOMKiller = true;
  r.cpu.emplace();
  r.cpu->shares = 512;
  r.cpu->quota = 20000;
  r.cpu->period = 50000;
  r.cpu->burst = 1000;
  r.cpu->cpus = "0";
  r.cpu->mems = "0";
  r.pids = spec::LinuxPids{42};
  r.blockIO.emplace();
  r.blockIO->throttleReadBpsDevice.push_back({254, 0, 1048576});
  r.blockIO->throttleWriteIOPSDevice.push_back({254, 0, 100});
  m_->apply(r, "config.json: /linux/resources", false);
  EXPECT_EQ(file("memory", "memory.limit_in_bytes"), std::to_string(64 << 20));
  EXPECT_EQ(file("memory", "memory.memsw.limit_in_bytes"), std::to_string(128 << 20));
  EXPECT_EQ(file("memory", "memory.soft_limit_in_bytes"), std::to_string(32 << 20));
  EXPECT_EQ(file("memory", "memory.swappiness"), "10");
  EXPECT_NE(file("memory", "memory.oom_control").find("oom_kill_disable 1"), std::string::npos);
  EXPECT_EQ(file("cpu", "cpu.shares"), "512");
  EXPECT_EQ(file("cpu", "cpu.cfs_quota_us"), "20000");
  EXPECT_EQ(file("cpu", "cpu.cfs_period_us"), "50000");
  EXPECT_EQ(file("cpu", "cpu.cfs_burst_us"), "1000");
  EXPECT_EQ(file("cpuset", "cpuset.cpus"), "0");
  EXPECT_EQ(file("pids", "pids.max"), "42");
  EXPECT_EQ(file("blkio", "blkio.throttle.read_bps_device"), "254:0 1048576");
  EXPECT_EQ(file("blkio", "blkio.throttle.write_iops_device"), "254:0 100");
  EXPECT_EQ(file("devices", "devices.list"), "a *:* rwm");  // no deny-all asked for
}

// The weight needs CFQ (blkio.weight) or BFQ (blkio.bfq.weight); a kernel without either must
// refuse it naming the field, not drop it silently.
TEST_F(V1, BlkioWeightLandsOrIsRefusedNamingTheField) {
  spec::LinuxResources r;
  r.blockIO.emplace();
  r.blockIO->weight = 300;
  std::string dir = static_cast<V1Manager*>(m_.get())->find("blkio")->dir;
  std::string weight = linux_::exists(dir + "/blkio.weight")       ? "blkio.weight"
                       : linux_::exists(dir + "/blkio.bfq.weight") ? "blkio.bfq.weight"
                                                                   : "";
  if (weight.empty()) {
    std::string err = error_of(r);
    EXPECT_NE(err.find("/linux/resources/blockIO/weight"), std::string::npos) << err;
    EXPECT_NE(err.find("blkio.bfq.weight"), std::string::npos) << err;
    return;
  }
  m_->apply(r, "config.json: /linux/resources", false);
  EXPECT_NE(file("blkio", weight).find("300"), std::string::npos);
}

TEST_F(V1, DefaultConfigDeviceRules) {
  spec::LinuxResources r;
  r.devices.push_back({false, "", {}, {}, "rwm"});
  m_->apply(r, "config.json: /linux/resources", false);
  std::string list = file("devices", "devices.list");
  EXPECT_NE(list.find("c 1:3 rwm"), std::string::npos) << list;
  EXPECT_NE(list.find("c 136:* rwm"), std::string::npos) << list;
  EXPECT_EQ(list.find("a *:* rwm"), std::string::npos) << list;
}

TEST_F(V1, UpdateRaisesMemoryAndSwapInTheOrderTheKernelNeeds) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->limit = 64 << 20;
  r.memory->swap = 64 << 20;
  m_->apply(r, "x", false);
  r.memory->limit = 256 << 20;  // above the old memory+swap: swap must go first
  r.memory->swap = 512 << 20;
  m_->apply(r, "update: ", true);
  EXPECT_EQ(file("memory", "memory.limit_in_bytes"), std::to_string(256 << 20));
  EXPECT_EQ(file("memory", "memory.memsw.limit_in_bytes"), std::to_string(512 << 20));
  r.memory->limit = 32 << 20;  // and lowering needs memory first
  r.memory->swap = 48 << 20;
  m_->apply(r, "update: ", true);
  EXPECT_EQ(file("memory", "memory.memsw.limit_in_bytes"), std::to_string(48 << 20));
}

TEST_F(V1, UpdateLeavesAbsentFieldsAndDevicesAlone) {
  spec::LinuxResources r;
  r.pids = spec::LinuxPids{10};
  r.devices.push_back({false, "", {}, {}, "rwm"});
  m_->apply(r, "x", false);
  spec::LinuxResources u;
  u.cpu.emplace();
  u.cpu->shares = 256;
  u.devices.push_back({true, "a", {}, {}, "rwm"});
  m_->apply(u, "update: ", true);
  EXPECT_EQ(file("pids", "pids.max"), "10");
  EXPECT_EQ(file("cpu", "cpu.shares"), "256");
  EXPECT_EQ(file("devices", "devices.list").find("a *:* rwm"), std::string::npos);
}

TEST_F(V1, UnlimitedValues) {
  spec::LinuxResources r;
  r.pids = spec::LinuxPids{-1};
  r.memory.emplace();
  r.memory->limit = -1;
  r.cpu.emplace();
  r.cpu->quota = -1;
  m_->apply(r, "x", false);
  EXPECT_EQ(file("pids", "pids.max"), "max");
  EXPECT_EQ(file("cpu", "cpu.cfs_quota_us"), "-1");
  EXPECT_EQ(file("memory", "memory.memsw.limit_in_bytes"), "9223372036854771712");
}

TEST_F(V1, KernelRefusalNamesTheField) {
  spec::LinuxResources r;
  r.cpu.emplace();
  r.cpu->cpus = "0-4095";
  EXPECT_NE(error_of(r).find("config.json: /linux/resources/cpu/cpus: the kernel refused "
                             "\"0-4095\" for "),
            std::string::npos)
      << error_of(r);
}

TEST_F(V1, OutOfRangeSharesAreReported) {
  spec::LinuxResources r;
  r.cpu.emplace();
  r.cpu->shares = 1;
  EXPECT_EQ(error_of(r),
            "config.json: /linux/resources/cpu/shares: 1 is out of the kernel's range (it set 2)");
}

TEST_F(V1, SwappinessOverAHundred) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->swappiness = 101;
  EXPECT_EQ(error_of(r),
            "config.json: /linux/resources/memory/swappiness: 101 is out of range: "
            "expected 0 to 100");
}

TEST_F(V1, MissingControllerNamesTheField) {
  if (static_cast<V1Manager*>(m_.get())->find("hugetlb")) GTEST_SKIP() << "hugetlb is mounted";
  spec::LinuxResources r;
  r.hugepageLimits.push_back({"2MB", 1 << 21});
  EXPECT_EQ(error_of(r),
            "config.json: /linux/resources/hugepageLimits/0: the hugetlb cgroup "
            "controller is not mounted on this host");
}

TEST_F(V1, UnifiedIsRefusedOnV1) {
  spec::LinuxResources r;
  r.unified["memory.high"] = "1000000";
  EXPECT_EQ(error_of(r),
            "config.json: /linux/resources/unified: cgroup v2 files cannot be set: "
            "this host uses cgroup v1");
}

TEST_F(V1, FreezeAndThaw) {
  m_->freeze(true);
  EXPECT_TRUE(m_->frozen());
  m_->freeze(false);
  EXPECT_FALSE(m_->frozen());
}

TEST_F(V1, StatsCountAProcessInside) {
  pid_t pid = ::fork();
  if (pid == 0) {
    for (;;) ::pause();
  }
  m_->add(pid);
  auto s = m_->stats();
  auto pids = m_->pids();
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  EXPECT_EQ(s.pids_current, 1u);
  EXPECT_GT(s.memory.limit, 0u);
  EXPECT_FALSE(s.memory_raw.empty());
  ASSERT_EQ(pids.size(), 1u);
  EXPECT_EQ(pids[0], pid);
}

}  // namespace hull::cgroups
