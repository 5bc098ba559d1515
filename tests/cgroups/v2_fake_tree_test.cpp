// V2Manager against a fake cgroup2 tree in a temp dir: the host here is v1, so the v2
// conversions are pinned down by the files they write.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <chrono>

#include "cgroups/fs_util.hpp"
#include "cgroups/v2.hpp"
#include "hull/error.hpp"
#include "support/error_of.hpp"
#include "temp_tree.hpp"

namespace hull::cgroups {
namespace {

const char* kFiles[] = {"cpu.weight",      "cpu.max",         "cpu.max.burst", "cpu.idle",
                        "cpuset.cpus",     "cpuset.mems",     "memory.max",    "memory.low",
                        "memory.swap.max", "memory.current",  "pids.max",      "io.weight",
                        "io.max",          "hugetlb.2MB.max", "rdma.max",      "memory.high",
                        "cgroup.procs"};

class V2Fake : public ::testing::Test {
 protected:
  void SetUp() override {
    t_.file("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma\n");
    t_.file("cgroup.subtree_control");
    t_.file("pod/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma\n");
    t_.file("pod/cgroup.subtree_control");
    for (const char* f : kFiles) t_.file(std::string("pod/ctr/") + f);
    t_.file("pod/ctr/memory.current", "1048576\n");
    m_ = std::make_unique<V2Manager>(t_.root(), "/pod/ctr");
    m_->create();
  }
  std::string file(const std::string& name) { return trim(t_.read("pod/ctr/" + name)); }
  std::string error_of(const spec::LinuxResources& r, bool update = true) {
    return hull::test::error_of([&] { m_->apply(r, "config.json: /linux/resources", update); });
  }
  test::TempTree t_;
  std::unique_ptr<V2Manager> m_;
};

}  // namespace

TEST_F(V2Fake, CreateDelegatesControllersDownToTheParent) {
  EXPECT_EQ(trim(t_.read("cgroup.subtree_control")),
            "+cpuset +cpu +io +memory +hugetlb +pids +rdma");
  EXPECT_EQ(trim(t_.read("pod/cgroup.subtree_control")),
            "+cpuset +cpu +io +memory +hugetlb +pids +rdma");
  EXPECT_EQ(m_->dir(), t_.root() + "/pod/ctr");
}

TEST_F(V2Fake, CpuConversions) {
  spec::LinuxResources r;
  r.cpu.emplace();
  r.cpu->shares = 1024;
  r.cpu->quota = 50000;
  r.cpu->period = 100000;
  r.cpu->burst = 10000;
  r.cpu->idle = 1;
  r.cpu->cpus = "0-1";
  r.cpu->mems = "0";
  m_->apply(r, "config.json: /linux/resources", true);
  EXPECT_EQ(file("cpu.weight"), "39");
  EXPECT_EQ(file("cpu.max"), "50000 100000");
  EXPECT_EQ(file("cpu.max.burst"), "10000");
  EXPECT_EQ(file("cpu.idle"), "1");
  EXPECT_EQ(file("cpuset.cpus"), "0-1");
  EXPECT_EQ(file("cpuset.mems"), "0");
}

TEST_F(V2Fake, UnlimitedQuotaKeepsThePeriod) {
  spec::LinuxResources r;
  r.cpu.emplace();
  r.cpu->quota = -1;
  r.cpu->period = 250000;
  m_->apply(r, "x", true);
  EXPECT_EQ(file("cpu.max"), "max 250000");
}

TEST_F(V2Fake, MemoryAndSwapConversions) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->limit = 100 << 20;
  r.memory->swap = 300 << 20;
  r.memory->reservation = 50 << 20;
  m_->apply(r, "x", true);
  EXPECT_EQ(file("memory.max"), std::to_string(100 << 20));
  EXPECT_EQ(file("memory.swap.max"), std::to_string(200 << 20));
  EXPECT_EQ(file("memory.low"), std::to_string(50 << 20));
}

// memory+swap equal to the limit means no swap at all: memory.swap.max 0, as runc writes (the
// v2 suite found it left at "max").
TEST_F(V2Fake, SwapEqualToTheLimitDisablesSwap) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->limit = 16 << 20;
  r.memory->swap = 16 << 20;
  m_->apply(r, "x", true);  // update: no device program (a fake tree cannot take one)
  EXPECT_EQ(file("memory.swap.max"), "0");
}

TEST_F(V2Fake, UnlimitedMemoryMeansUnlimitedSwap) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->limit = -1;
  m_->apply(r, "x", true);
  EXPECT_EQ(file("memory.max"), "max");
  EXPECT_EQ(file("memory.swap.max"), "max");
}

TEST_F(V2Fake, SwapAloneIsRelativeToTheLimitInForce) {
  t_.file("pod/ctr/memory.max", "104857600\n");
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->swap = 200 << 20;
  m_->apply(r, "update: ", true);
  EXPECT_EQ(file("memory.swap.max"), std::to_string(100 << 20));
  EXPECT_EQ(file("memory.max"), "104857600");  // untouched
}

TEST_F(V2Fake, SwapBelowLimitNamesTheField) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->limit = 100;
  r.memory->swap = 50;
  EXPECT_EQ(error_of(r),
            "config.json: /linux/resources/memory/swap: the memory+swap limit 50 is "
            "below the memory limit 100");
}

TEST_F(V2Fake, CheckBeforeUpdateRefusesALimitBelowUsage) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->limit = 4096;
  r.memory->checkBeforeUpdate = true;
  EXPECT_EQ(error_of(r),
            "config.json: /linux/resources/memory/limit: the new limit 4096 is below "
            "the current usage 1048576");
}

TEST_F(V2Fake, PidsAndHugetlbAndRdma) {
  spec::LinuxResources r;
  r.pids = spec::LinuxPids{-1};
  r.hugepageLimits.push_back({"2MB", 4194304});
  r.rdma["mlx5_0"] = {3, std::nullopt};
  m_->apply(r, "x", true);
  EXPECT_EQ(file("pids.max"), "max");
  EXPECT_EQ(file("hugetlb.2MB.max"), "4194304");
  EXPECT_EQ(file("rdma.max"), "mlx5_0 hca_handle=3 hca_object=max");
}

TEST_F(V2Fake, BlkioWeightConvertsToIoWeight) {
  spec::LinuxResources r;
  r.blockIO.emplace();
  r.blockIO->weight = 500;
  r.blockIO->throttleWriteBpsDevice.push_back({8, 0, 1048576});
  m_->apply(r, "x", true);
  EXPECT_EQ(file("io.weight"), "4950");
  EXPECT_EQ(file("io.max"), "8:0 wbps=1048576");
}

TEST_F(V2Fake, BlkioWeightGoesToBfqUnconvertedWhenBfqIsThere) {
  t_.file("pod/ctr/io.bfq.weight");
  spec::LinuxResources r;
  r.blockIO.emplace();
  r.blockIO->weight = 500;
  r.blockIO->weightDevice.push_back({8, 16, 700, std::nullopt});
  m_->apply(r, "x", true);
  EXPECT_EQ(file("io.bfq.weight"), "8:16 700");  // the device line was written last
  EXPECT_EQ(file("io.weight"), "");
}

TEST_F(V2Fake, UnifiedWinsOverConvertedValues) {
  spec::LinuxResources r;
  r.memory.emplace();
  r.memory->limit = 1 << 20;
  r.unified["memory.max"] = "2097152";
  r.unified["memory.high"] = "1500000";
  m_->apply(r, "x", true);
  EXPECT_EQ(file("memory.max"), "2097152");
  EXPECT_EQ(file("memory.high"), "1500000");
}

TEST_F(V2Fake, MissingFileNamesTheField) {
  spec::LinuxResources r;
  r.hugepageLimits.push_back({"1GB", 1 << 30});
  EXPECT_EQ(error_of(r),
            "config.json: /linux/resources/hugepageLimits/0: this host's cgroup has "
            "no hugetlb.1GB.max (the kernel or the controller lacks it)");
  spec::LinuxResources u;
  u.unified["nosuch.file"] = "1";
  EXPECT_NE(error_of(u).find("/linux/resources/unified/nosuch.file: this host's cgroup has no "),
            std::string::npos);
}

TEST_F(V2Fake, V1OnlyFeaturesAreErrors) {
  spec::LinuxResources r;
  r.network.emplace();
  r.network->classID = 7;
  EXPECT_EQ(error_of(r),
            "config.json: /linux/resources/network: net_cls and net_prio exist only "
            "on cgroup v1; this host uses v2");
  spec::LinuxResources rt;
  rt.cpu.emplace();
  rt.cpu->realtimeRuntime = 1000;
  EXPECT_NE(error_of(rt).find("/cpu/realtimeRuntime: real-time CPU budgets"), std::string::npos);
}

TEST_F(V2Fake, DeviceFilterNeedsARealCgroup) {
  // Not an update: the device program is attached, which a plain directory refuses.
  std::string e = error_of({}, false);
  EXPECT_EQ(e.rfind("config.json: /linux/resources/devices: ", 0), 0u) << e;
}

TEST_F(V2Fake, StatsFromTheV2Files) {
  t_.file("pod/ctr/cpu.stat",
          "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\n"
          "throttled_usec 20\n");
  t_.file("pod/ctr/memory.current", "8192\n");
  t_.file("pod/ctr/memory.max", "max\n");
  t_.file("pod/ctr/memory.stat", "anon 4096\nfile 2048\n");
  t_.file("pod/ctr/memory.swap.current", "100\n");
  t_.file("pod/ctr/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
  t_.file("pod/ctr/pids.current", "2\n");
  t_.file("pod/ctr/pids.max", "10\n");
  t_.file("pod/ctr/io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n");
  t_.file("pod/ctr/hugetlb.2MB.current", "0\n");
  t_.file("pod/ctr/hugetlb.2MB.max", "4194304\n");
  t_.file("pod/ctr/hugetlb.2MB.rsvd.current", "0\n");
  auto s = m_->stats();
  EXPECT_EQ(s.cpu_usage.total, 1500000u);
  EXPECT_EQ(s.cpu_usage.user, 1000000u);
  EXPECT_EQ(s.cpu_usage.kernel, 500000u);
  EXPECT_EQ(s.throttling.throttled_time, 20000u);
  EXPECT_EQ(s.memory.usage, 8192u);
  EXPECT_EQ(s.memory.limit, 0u);
  EXPECT_EQ(s.memory.failcnt, 3u);
  EXPECT_EQ(s.memory_cache, 2048u);
  EXPECT_EQ(s.swap.usage, 8292u);
  EXPECT_EQ(s.pids_current, 2u);
  EXPECT_EQ(s.pids_limit, 10u);
  ASSERT_EQ(s.io_service_bytes.size(), 2u);
  EXPECT_EQ(s.io_service_bytes[1].op, "Write");
  EXPECT_EQ(s.io_service_bytes[1].value, 20u);
  ASSERT_EQ(s.hugetlb.size(), 1u);
  EXPECT_EQ(s.hugetlb["2MB"].max, 4194304u);
}

}  // namespace hull::cgroups

namespace hull::cgroups {

// A cgroup frozen by cgroup.freeze, or by a parent (cgroup.events "frozen 1"), would hold the
// init stopped before it could report: create refuses it, naming the directory.
TEST(V2Frozen, CreateRefusesAFrozenCgroupNamingIt) {
  test::TempTree t;
  t.file("cgroup.controllers", "");
  t.file("cgroup.subtree_control");
  t.file("ctr/cgroup.freeze", "1\n");
  V2Manager m(t.root(), "/ctr");
  try {
    m.create();
    FAIL() << "create accepted a frozen cgroup";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("cgroup " + t.root() + "/ctr is frozen"), std::string::npos)
        << e.message();
  }
}

TEST(V2Frozen, CreateRefusesACgroupFrozenByItsParent) {
  test::TempTree t;
  t.file("cgroup.controllers", "");
  t.file("cgroup.subtree_control");
  t.file("ctr/cgroup.freeze", "0\n");
  t.file("ctr/cgroup.events", "populated 0\nfrozen 1\n");
  V2Manager m(t.root(), "/ctr");
  try {
    m.create();
    FAIL() << "create accepted a cgroup under a frozen parent";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("inherited from a parent"), std::string::npos) << e.message();
  }
}

TEST(V2Frozen, SubtreeListsChildrenBeforeTheirParent) {
  test::TempTree t;
  t.file("ctr/cgroup.procs", "1\n");
  t.file("ctr/a/b/cgroup.procs", "2\n3\n");
  t.file("ctr/c/cgroup.procs", "");
  auto dirs = subtree(t.root() + "/ctr");
  ASSERT_EQ(dirs.size(), 4u);
  EXPECT_EQ(dirs.back(), t.root() + "/ctr");
  auto pos = [&](const std::string& d) {
    return std::find(dirs.begin(), dirs.end(), t.root() + d) - dirs.begin();
  };
  EXPECT_LT(pos("/ctr/a/b"), pos("/ctr/a"));
  auto pids = read_pids_below(t.root() + "/ctr");
  std::sort(pids.begin(), pids.end());
  EXPECT_EQ(pids, (std::vector<pid_t>{1, 2, 3}));
  EXPECT_EQ(first_missing(t.root(), t.root() + "/ctr/x/y"), t.root() + "/ctr/x");
  EXPECT_EQ(first_missing(t.root(), t.root() + "/ctr/a"), "");
}

}  // namespace hull::cgroups

namespace hull::cgroups {

// Issue 13: a freeze waited for ever when cgroup.events never said "frozen 1" (a task stuck
// in uninterruptible sleep never reaches the freezer). It now gives up, thaws the cgroup back
// and says why; the fake tree's events file never changes, so the bound is what ends it.
TEST(V2Frozen, AFreezeThatNeverCompletesFailsAndThawsBack) {
  test::TempTree t;
  t.file("ctr/cgroup.freeze", "0\n");
  t.file("ctr/cgroup.events", "populated 1\nfrozen 0\n");
  V2Manager m(t.root(), "/ctr");
  m.set_freeze_timeout(std::chrono::milliseconds(20));
  try {
    m.freeze(true);
    FAIL() << "freeze returned although the cgroup never reported frozen";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("cgroup " + t.root() + "/ctr did not report frozen"),
              std::string::npos)
        << e.message();
    EXPECT_NE(e.message().find("populated 1,frozen 0"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("thawed it back"), std::string::npos) << e.message();
  }
  EXPECT_EQ(trim(t.read("ctr/cgroup.freeze")), "0");
}

TEST(V2Frozen, AFreezeTheKernelReportsReturns) {
  test::TempTree t;
  t.file("ctr/cgroup.freeze", "0\n");
  t.file("ctr/cgroup.events", "populated 1\nfrozen 1\n");
  V2Manager m(t.root(), "/ctr");
  m.freeze(true);
  EXPECT_EQ(trim(t.read("ctr/cgroup.freeze")), "1");
  EXPECT_TRUE(m.frozen());
}

// kill --all with SIGKILL is one write to cgroup.kill (the kernel signals the whole subtree,
// also what forks meanwhile); other signals go pid by pid.
TEST(V2Kill, SigkillWritesCgroupKill) {
  test::TempTree t;
  t.file("ctr/cgroup.kill");
  t.file("ctr/cgroup.procs", "");
  V2Manager m(t.root(), "/ctr");
  m.signal_all(SIGKILL);
  EXPECT_EQ(trim(t.read("ctr/cgroup.kill")), "1");
  m.signal_all(0);  // no pids listed: nothing to signal, and cgroup.kill is not touched again
  t.file("ctr/cgroup.kill", "");
  m.signal_all(SIGTERM);
  EXPECT_EQ(trim(t.read("ctr/cgroup.kill")), "");
}

}  // namespace hull::cgroups
