#include "cgroups/update.hpp"

#include <gtest/gtest.h>

#include "hull/error.hpp"

namespace hull::cgroups {

TEST(UpdateFlags, FlagsBecomeResources) {
  UpdateFlags f;
  f.memory = 256LL << 20;
  f.memory_swap = -1;
  f.cpu_quota = 50000;
  f.cpuset_cpus = "0";
  f.pids_limit = 10;
  f.blkio_weight = 300;
  auto r = resources_from_flags(f);
  ASSERT_TRUE(r.memory);
  EXPECT_EQ(r.memory->limit, 256LL << 20);
  EXPECT_EQ(r.memory->swap, -1);
  EXPECT_FALSE(r.memory->reservation);
  ASSERT_TRUE(r.cpu);
  EXPECT_EQ(r.cpu->quota, 50000);
  EXPECT_FALSE(r.cpu->period);
  EXPECT_EQ(r.cpu->cpus, "0");
  EXPECT_EQ(r.pids->limit, 10);
  EXPECT_EQ(r.blockIO->weight, 300);
}

TEST(UpdateFlags, NothingGivenChangesNothing) {
  auto r = resources_from_flags({});
  EXPECT_FALSE(r.memory);
  EXPECT_FALSE(r.cpu);
  EXPECT_FALSE(r.pids);
  EXPECT_FALSE(r.blockIO);
}

TEST(DropZeroValues, ZerosMeanLeaveAlone) {
  spec::LinuxResources r;
  r.memory = spec::LinuxMemory{};
  r.memory->limit = 0;
  r.memory->swap = 1000;
  r.cpu = spec::LinuxCPU{};
  r.cpu->shares = 0;
  r.cpu->quota = -1;
  r.pids = spec::LinuxPids{0};
  r.devices.push_back({true, "a", {}, {}, "rwm"});
  drop_zero_values(r);
  EXPECT_FALSE(r.memory->limit);
  EXPECT_EQ(r.memory->swap, 1000);
  EXPECT_FALSE(r.cpu->shares);
  EXPECT_EQ(r.cpu->quota, -1);
  EXPECT_FALSE(r.pids->limit);
  EXPECT_TRUE(r.devices.empty());
}

}  // namespace hull::cgroups
