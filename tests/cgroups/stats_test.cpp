#include "cgroups/stats.hpp"

#include <gtest/gtest.h>

namespace hull::cgroups {

TEST(StatsParse, V1BlkioSkipsTheTotalLine) {
  auto e = parse_v1_blkio("254:0 Read 4096\n254:0 Write 8192\n254:0 Total 12288\nTotal 12288\n");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].major, 254u);
  EXPECT_EQ(e[0].minor, 0u);
  EXPECT_EQ(e[1].op, "Write");
  EXPECT_EQ(e[1].value, 8192u);
}

TEST(StatsParse, FlatKeyed) {
  auto m = parse_flat_keyed("cache 10\nrss 20\nbogus\n");
  EXPECT_EQ(m.size(), 2u);
  EXPECT_EQ(m["rss"], 20u);
}

TEST(StatsJson, EventLinesAreRuncShaped) {
  Stats s;
  s.cpu_usage.total = 5;
  s.cpu_usage.percpu = {2, 3};
  s.pids_current = 1;
  s.io_service_bytes.push_back({8, 0, "Read", 7});
  s.hugetlb["2MB"] = {1, 2, 3};
  std::string j = stats_event_json("c\"1", s);
  EXPECT_EQ(j.rfind("{\"type\":\"stats\",\"id\":\"c\\\"1\",\"data\":{\"cpu\":{\"usage\":"
                    "{\"total\":5,\"percpu\":[2,3],",
                    0),
            0u)
      << j;
  EXPECT_NE(j.find("\"pids\":{\"current\":1,\"limit\":0}"), std::string::npos);
  EXPECT_NE(j.find("\"ioServiceBytesRecursive\":[{\"major\":8,\"minor\":0,\"op\":\"Read\","
                   "\"value\":7}]"),
            std::string::npos);
  EXPECT_NE(j.find("\"hugetlb\":{\"2MB\":{\"usage\":1,\"max\":2,\"failcnt\":3}}"),
            std::string::npos);
  EXPECT_EQ(oom_event_json("x"), "{\"type\":\"oom\",\"id\":\"x\"}");
}

}  // namespace hull::cgroups
