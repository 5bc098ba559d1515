// The seam: the host kernel by default, a FaultKernel that records calls and fails the Nth
// call of a kind, checked wrappers that name the call and its object.
#include "linux/kernel.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"
#include "linux/files.hpp"
#include "linux/sys.hpp"
#include "temp_dir.hpp"

namespace hull::linux_ {
namespace {

TEST(Kernel, KindNamesRoundTrip) {
  for (size_t i = 0; i < static_cast<size_t>(Sys::count_); ++i) {
    auto kind = static_cast<Sys>(i);
    ASSERT_NE(sys_name(kind), nullptr) << i;
    EXPECT_EQ(sys_from_name(sys_name(kind)), kind) << sys_name(kind);
  }
  EXPECT_EQ(sys_from_name("nonsense"), Sys::count_);
  EXPECT_EQ(sys_name(Sys::count_), nullptr);
}

TEST(Kernel, HostByDefaultAndScopedReplacement) {
  EXPECT_EQ(&kernel(), &host_kernel());
  {
    FaultKernel fk(&host_kernel());
    ScopedKernel scope(fk);
    EXPECT_EQ(&kernel(), &fk);
  }
  EXPECT_EQ(&kernel(), &host_kernel());
}

TEST(FaultKernel, FailsTheNthCallOfAKindOnly) {
  FaultKernel fk(&host_kernel(), parse_fault_plan("open:2:EACCES"));
  ScopedKernel scope(fk);
  Fd first = sys::openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
  EXPECT_TRUE(first.valid());
  try {
    sys::openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
    FAIL() << "the second open should have failed";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), EACCES);
    EXPECT_NE(e.message().find("open /dev/null"), std::string::npos) << e.message();
  }
  Fd third = sys::openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
  EXPECT_TRUE(third.valid());
  ASSERT_EQ(fk.calls().size(), 3u);
  EXPECT_FALSE(fk.calls()[0].failed);
  EXPECT_TRUE(fk.calls()[1].failed);
  EXPECT_EQ(fk.calls()[1].nth, 2u);
  EXPECT_EQ(fk.calls()[1].what, "/dev/null");
  EXPECT_EQ(fk.count(Sys::open), 3u);
}

TEST(FaultKernel, StarFailsEveryCallAndKindsAreSeparate) {
  FaultKernel fk(&host_kernel(), parse_fault_plan("mkdir:*:EROFS"));
  ScopedKernel scope(fk);
  EXPECT_EQ(kernel().mkdirat(AT_FDCWD, "/nonexistent-hull-test/a", 0700), -1);
  EXPECT_EQ(errno, EROFS);
  EXPECT_EQ(kernel().mkdirat(AT_FDCWD, "/nonexistent-hull-test/b", 0700), -1);
  EXPECT_EQ(errno, EROFS);
  int fd = kernel().openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC, 0);
  EXPECT_GE(fd, 0);
  ::close(fd);
}

TEST(FaultKernel, WithoutAKernelBehindItCallsSucceedWithoutEffect) {
  FaultKernel fk(nullptr);
  ScopedKernel scope(fk);
  // A mount as an ordinary user, or of something absent, "succeeds" and is only recorded.
  sys::mount("none", "/nonexistent-hull-test", "tmpfs", MS_NOSUID, nullptr);
  Fd fd = sys::openat(AT_FDCWD, "/nonexistent-hull-test/file", O_RDONLY);
  EXPECT_TRUE(fd.valid());
  const char data[] = "abc";
  EXPECT_EQ(kernel().write(fd.get(), data, 3), 3);
  ASSERT_EQ(fk.calls().size(), 3u);
  EXPECT_EQ(fk.calls()[0].kind, Sys::mount);
  EXPECT_EQ(fk.calls()[0].what, "/nonexistent-hull-test");
}

TEST(FaultKernel, LogsOnlyWhileItsFdStillNamesTheLogFile) {
  test::TempDir dir;
  std::string log = dir.path() + "/log", other = dir.path() + "/other";
  int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  FaultKernel fk(nullptr);
  fk.log_to(fd);
  ScopedKernel scope(fk);
  sys::mount("none", "/first", "tmpfs", 0, nullptr);
  // What a child's close_fds does, then an open that reuses the number.
  ::close(fd);
  int reused = ::open(other.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  ASSERT_EQ(reused, fd);
  sys::mount("none", "/second", "tmpfs", 0, nullptr);
  ::close(reused);
  std::string logged = read_file(log);
  EXPECT_NE(logged.find("/first"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("/second"), std::string::npos) << logged;
  EXPECT_EQ(read_file(other), "");
}

TEST(FaultPlan, ParsesNamesNumbersAndRefusesNonsense) {
  auto plan = parse_fault_plan("mount:3,setns:1:EPERM,write:2:28");
  ASSERT_EQ(plan.size(), 3u);
  EXPECT_EQ(plan[0].kind, Sys::mount);
  EXPECT_EQ(plan[0].nth, 3u);
  EXPECT_EQ(plan[0].err, EIO);
  EXPECT_EQ(plan[1].err, EPERM);
  EXPECT_EQ(plan[2].err, 28);
  EXPECT_THROW(parse_fault_plan("bogus:1"), Error);
  EXPECT_THROW(parse_fault_plan("mount"), Error);
  EXPECT_THROW(parse_fault_plan("mount:0"), Error);
  EXPECT_THROW(parse_fault_plan("mount:x"), Error);
  EXPECT_THROW(parse_fault_plan("mount:1:0"), Error);
  EXPECT_TRUE(parse_fault_plan("").empty());
}

TEST(Sys, WaitpidNamesThePidAndDup2KeepsTheSameFd) {
  try {
    int status = 0;
    sys::waitpid(999999, &status, 0);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ECHILD);
    EXPECT_NE(e.message().find("waitpid 999999"), std::string::npos);
  }
  Fd fd = sys::openat(AT_FDCWD, "/dev/null", O_RDONLY | O_CLOEXEC);
  sys::dup2(fd.get(), fd.get());
  EXPECT_EQ(::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC, 0);
}

}  // namespace
}  // namespace hull::linux_
