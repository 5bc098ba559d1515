// cgroups/ through the seam: rmdir's retry on EBUSY, and kills that fail for another reason
// than "already gone", walked through a FaultKernel with nothing behind it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "cgroups/fs_util.hpp"
#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"
#include "support/faults.hpp"

namespace hull::cgroups {
namespace {

using ::testing::HasSubstr;

using test::faults;
using test::run;

TEST(CgroupSeam, RemoveDirRetriesWhileBusyAndTakesAbsentAsDone) {
  auto busy = faults("unlink:1:EBUSY,unlink:2:EBUSY");
  EXPECT_EQ(run(busy, [] { remove_dir("/sys/fs/cgroup/memory/hull-test"); }), "");
  EXPECT_EQ(busy.count(linux_::Sys::unlink), 3u);
  auto absent = faults("unlink:1:ENOENT");
  EXPECT_EQ(run(absent, [] { remove_dir("/sys/fs/cgroup/memory/hull-test"); }), "");
  EXPECT_EQ(absent.count(linux_::Sys::unlink), 1u);
}

TEST(CgroupSeam, RemoveDirNamesTheCgroupOnAnyOtherFailure) {
  auto k = faults("unlink:1:EACCES");
  EXPECT_THAT(run(k, [] { remove_dir("/sys/fs/cgroup/memory/hull-test"); }),
              HasSubstr("removing cgroup /sys/fs/cgroup/memory/hull-test: Permission denied"));
  EXPECT_EQ(k.count(linux_::Sys::unlink), 1u);
}

class KillBelow : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/hull-cgroup-seam-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    dir_ = dir;
    std::ofstream(dir_ + "/cgroup.procs") << "999999\n";
  }
  void TearDown() override {
    ::unlink((dir_ + "/cgroup.procs").c_str());
    ::rmdir(dir_.c_str());
  }
  std::string dir_;
};

TEST_F(KillBelow, AProcessAlreadyGoneIsNoFailure) {
  auto k = faults("kill:*:ESRCH");
  EXPECT_EQ(run(k, [&] { kill_below(dir_); }), "");
  EXPECT_GE(k.count(linux_::Sys::kill), 1u);
}

TEST_F(KillBelow, AnyOtherKillFailureNamesThePidAndCgroup) {
  auto k = faults("kill:1:EPERM");
  EXPECT_THAT(run(k, [&] { kill_below(dir_); }),
              HasSubstr("killing 999999 in cgroup " + dir_ + ": Operation not permitted"));
  EXPECT_EQ(k.count(linux_::Sys::kill), 1u);
}

}  // namespace
}  // namespace hull::cgroups
