#include "cgroups/convert.hpp"

#include <gtest/gtest.h>

#include "hull/error.hpp"

namespace hull::cgroups {

TEST(SharesToWeight, EndsOfTheRangeMapOntoEachOther) {
  EXPECT_EQ(shares_to_weight(0), 0u);
  EXPECT_EQ(shares_to_weight(2), 1u);
  EXPECT_EQ(shares_to_weight(262144), 10000u);
  EXPECT_EQ(shares_to_weight(1024), 39u);  // docker's default share
  EXPECT_EQ(shares_to_weight(1), 1u);      // clamped like the kernel does
}

TEST(BlkioWeightToIoWeight, EndsOfTheRangeMapOntoEachOther) {
  EXPECT_EQ(blkio_weight_to_io_weight(0), 0u);
  EXPECT_EQ(blkio_weight_to_io_weight(10), 1u);
  EXPECT_EQ(blkio_weight_to_io_weight(500), 4950u);
  EXPECT_EQ(blkio_weight_to_io_weight(1000), 10000u);
}

TEST(SwapToV2, SwapMaxIsTheTotalMinusTheLimit) {
  EXPECT_EQ(swap_to_v2(300, 100), 200);
  EXPECT_EQ(swap_to_v2(100, 100), 0);
  EXPECT_EQ(swap_to_v2(-1, 100), -1);
  EXPECT_EQ(swap_to_v2(0, 100), 0);
  EXPECT_EQ(swap_to_v2(0, -1), -1);  // unlimited memory: unlimited swap too
}

TEST(SwapToV2, RejectsSwapBelowLimitOrWithoutLimit) {
  EXPECT_THROW(swap_to_v2(50, 100), Error);
  EXPECT_THROW(swap_to_v2(100, 0), Error);
  EXPECT_THROW(swap_to_v2(100, -1), Error);
}

TEST(CpuMax, QuotaAndPeriod) {
  EXPECT_EQ(cpu_max(50000, 100000), "50000 100000");
  EXPECT_EQ(cpu_max(-1, 100000), "max 100000");
  EXPECT_EQ(cpu_max(50000, std::nullopt), "50000");
  EXPECT_EQ(cpu_max(std::nullopt, 20000), "max 20000");
  EXPECT_EQ(cpu_max(std::nullopt, std::nullopt), std::nullopt);
  EXPECT_EQ(cpu_max(0, 0), std::nullopt);
}

TEST(LimitValue, NegativeIsMax) {
  EXPECT_EQ(limit_value(-1), "max");
  EXPECT_EQ(limit_value(4096), "4096");
  EXPECT_EQ(parse_limit("max\n"), std::nullopt);
  EXPECT_EQ(parse_limit("4096\n"), 4096u);
}

}  // namespace hull::cgroups
