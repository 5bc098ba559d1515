// Which writer each id map gets for a caller, and the helper's command line (no namespace).
#include "container/userns.hpp"

#include <gtest/gtest.h>

namespace {

using hull::container::gid_map_writer;
using hull::container::map_helper_argv;
using hull::container::MapWriter;
using hull::container::uid_map_writer;
using hull::spec::LinuxIDMapping;

const std::vector<LinuxIDMapping> kOwn = {{0, 1000, 1}};
const std::vector<LinuxIDMapping> kRanges = {{0, 1000, 1}, {1, 100000, 65536}};

TEST(UidMapWriter, RootWritesEverythingItself) {
  EXPECT_EQ(uid_map_writer(kRanges, 0), MapWriter::kDirect);
  EXPECT_EQ(gid_map_writer(kRanges, 0, 0), MapWriter::kDirect);
}

TEST(UidMapWriter, AUserWritesOnlyTheirOwnSingleId) {
  EXPECT_EQ(uid_map_writer(kOwn, 1000), MapWriter::kDirect);
  EXPECT_EQ(gid_map_writer(kOwn, 1000, 1000), MapWriter::kDirectDenyFirst);
  // another id, a range of their own id, or more lines: the setuid helper
  EXPECT_EQ(uid_map_writer({{0, 1001, 1}}, 1000), MapWriter::kHelper);
  EXPECT_EQ(uid_map_writer({{0, 1000, 2}}, 1000), MapWriter::kHelper);
  EXPECT_EQ(uid_map_writer(kRanges, 1000), MapWriter::kHelper);
  EXPECT_EQ(gid_map_writer(kRanges, 1000, 1000), MapWriter::kHelper);
  EXPECT_EQ(gid_map_writer(kOwn, 1000, 50), MapWriter::kHelper);
}

TEST(MapHelperArgv, PidThenTriplesInOrder) {
  EXPECT_EQ(
      map_helper_argv("newuidmap", 42, kRanges),
      (std::vector<std::string>{"newuidmap", "42", "0", "1000", "1", "1", "100000", "65536"}));
}

}  // namespace
