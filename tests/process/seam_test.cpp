// What process/ asks of the kernel, walked without root (and without touching this test's
// own credentials, limits or terminal) through a FaultKernel with nothing behind it; and,
// with one call failed, the error that names the config field.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <string>
#include <vector>

#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"
#include "process/credentials.hpp"
#include "process/scheduling.hpp"
#include "process/terminal.hpp"
#include "support/faults.hpp"

namespace hull::process {
namespace {

using linux_::Sys;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

using test::faults;
using test::run;

// "kind what" for each recorded call.
std::vector<std::string> calls(const linux_::FaultKernel& k) {
  std::vector<std::string> out;
  for (const auto& c : k.calls()) {
    out.push_back(std::string(linux_::sys_name(c.kind)) + " " + c.what +
                  (c.failed ? " [failed]" : ""));
  }
  return out;
}

spec::User user() {
  spec::User u;
  u.uid = 1000;
  u.gid = 100;
  u.additionalGids = {5, 6};
  return u;
}

TEST(SetUser, GroupsThenGidThenUid) {
  auto k = faults();
  EXPECT_EQ(run(k, [] { set_user(user()); }), "");
  EXPECT_THAT(calls(k), ElementsAre("setid groups", "setid gid", "setid uid"));
  auto without = faults();
  EXPECT_EQ(run(without, [] { set_user(user(), false); }), "");
  EXPECT_THAT(calls(without), ElementsAre("setid gid", "setid uid"));
}

TEST(SetUser, EachFailedStepNamesItsField) {
  const char* says[] = {"config.json: /process/user/additionalGids: setgroups",
                        "config.json: /process/user/gid: setresgid 100",
                        "config.json: /process/user/uid: setresuid 1000"};
  for (int n = 1; n <= 3; ++n) {
    auto k = faults("setid:" + std::to_string(n) + ":EPERM");
    std::string err = run(k, [] { set_user(user()); });
    EXPECT_THAT(err, HasSubstr(std::string(says[n - 1]) + ": Operation not permitted")) << n;
    EXPECT_EQ(k.count(Sys::setid), static_cast<uint32_t>(n)) << "went on after the failure";
  }
}

TEST(Rlimits, ALowNofileIsRaisedToTheFloorAndAppliedLate) {
  std::vector<spec::POSIXRlimit> limits = {{"RLIMIT_CORE", 2, 1}, {"RLIMIT_NOFILE", 20, 10}};
  auto k = faults();
  std::optional<LateRlimit> late;
  EXPECT_EQ(run(k, [&] { late = apply_rlimits(limits); }), "");
  ASSERT_TRUE(late);
  EXPECT_EQ(late->index, 1u);
  EXPECT_EQ(k.count(Sys::rlimit), 2u);
  EXPECT_EQ(run(k, [&] { apply_late_rlimit(*late); }), "");
  EXPECT_EQ(k.count(Sys::rlimit), 3u);
}

TEST(Rlimits, AFailedLimitNamesItsIndexTypeAndValues) {
  std::vector<spec::POSIXRlimit> limits = {{"RLIMIT_CORE", 2, 1}, {"RLIMIT_NPROC", 9, 8}};
  auto k = faults("rlimit:2:EPERM");
  EXPECT_THAT(run(k, [&] { apply_rlimits(limits); }),
              HasSubstr("config.json: /process/rlimits/1: setting RLIMIT_NPROC (soft 8, hard 9): "
                        "Operation not permitted"));
}

TEST(Scheduling, EachCallNamesItsFieldWhenItFails) {
  const std::string where = "config.json: /process/scheduler";
  spec::Scheduler s;
  s.policy = "SCHED_BATCH";
  auto ok = faults();
  EXPECT_EQ(run(ok, [&] { set_scheduler(s, where); }), "");
  EXPECT_EQ(ok.count(Sys::sched), 1u);

  auto k = faults("sched:1:EPERM");
  EXPECT_THAT(run(k, [&] { set_scheduler(s, where); }),
              HasSubstr(where + ": sched_setattr: Operation not permitted"));
  auto io = faults("sched:1:EINVAL");
  EXPECT_THAT(run(io,
                  [&] {
                    set_io_priority({"IOPRIO_CLASS_BE", 4}, "/process/ioPriority");
                  }),
              HasSubstr("/process/ioPriority: ioprio_set: Invalid argument"));
  auto cpu = faults("sched:1:EINVAL");
  EXPECT_THAT(run(cpu, [&] { set_cpu_affinity("0-1", "/process/execCPUAffinity/final"); }),
              HasSubstr("/process/execCPUAffinity/final: sched_setaffinity 0-1"));
  auto pers = faults("personality:1:EINVAL");
  EXPECT_THAT(run(pers,
                  [&] {
                    set_personality({"LINUX32", {}}, "/linux/personality");
                  }),
              HasSubstr("/linux/personality: personality"));
  auto mem = faults("sched:1:EINVAL");
  EXPECT_THAT(run(mem,
                  [&] {
                    set_memory_policy({"MPOL_BIND", "0", {}}, "/linux/memoryPolicy");
                  }),
              HasSubstr("/linux/memoryPolicy: set_mempolicy MPOL_BIND 0"));
}

TEST(Terminal, OpensTheMasterUnlocksNamesAndSizesIt) {
  auto k = faults();
  Pty p;
  EXPECT_EQ(run(k, [&] { p = open_pty(spec::Box{24, 80}); }), "");
  // The FaultKernel's TIOCGPTN leaves the number at 0.
  EXPECT_EQ(p.slave_path, "/dev/pts/0");
  EXPECT_THAT(calls(k), ElementsAre("open /dev/ptmx", "ioctl ioctl", "ioctl ioctl",
                                    "open /dev/pts/0", "ioctl ioctl"));
}

TEST(Terminal, EachFailedStepIsNamed) {
  struct Case {
    const char* plan;
    const char* says;
  };
  for (const Case& c : {Case{"open:1", "opening /dev/ptmx"}, Case{"ioctl:1", "(unlockpt)"},
                        Case{"ioctl:2", "(ptsname)"}, Case{"open:2", "opening /dev/pts/0"},
                        Case{"ioctl:3", "setting the terminal's size (process.consoleSize)"}}) {
    auto k = faults(c.plan);
    EXPECT_THAT(run(k, [] { open_pty(spec::Box{24, 80}); }), HasSubstr(c.says)) << c.plan;
  }
  for (const Case& c : {Case{"setsid:1", "starting a session for the terminal (setsid)"},
                        Case{"ioctl:1", "setting the controlling terminal"},
                        Case{"dup:2", "making 1 the terminal: dup2 1"}}) {
    auto k = faults(c.plan);
    EXPECT_THAT(run(k, [] { attach_to_terminal(42); }), HasSubstr(c.says)) << c.plan;
  }
}

}  // namespace
}  // namespace hull::process
