// Compiling linux.seccomp: the errors name the member, unknown syscall names are skipped,
// and a compiled program really filters once loaded (in a child).
#include "security/seccomp.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "support/child.hpp"
#include "support/error_of.hpp"

namespace hull::security {
namespace {

using ::testing::HasSubstr;

spec::LinuxSeccomp allow_but(const std::string& name, const std::string& action) {
  spec::LinuxSeccomp s;
  s.defaultAction = "SCMP_ACT_ALLOW";
  spec::LinuxSyscall sc;
  sc.names = {name};
  sc.action = action;
  s.syscalls.push_back(sc);
  return s;
}

std::string error_of(const spec::LinuxSeccomp& s) {
  return hull::test::error_of([&] { compile_seccomp(s, "config.json"); });
}

TEST(Seccomp, UnknownDefaultActionNamesTheMember) {
  spec::LinuxSeccomp s;
  s.defaultAction = "SCMP_ACT_MAYBE";
  EXPECT_THAT(error_of(s), HasSubstr("config.json: /linux/seccomp/defaultAction: unknown action"));
}

TEST(Seccomp, UnknownArchitectureNamesItsIndex) {
  spec::LinuxSeccomp s = allow_but("mkdir", "SCMP_ACT_ERRNO");
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_VAX"};
  EXPECT_THAT(error_of(s), HasSubstr("/linux/seccomp/architectures/1: unknown architecture"));
}

TEST(Seccomp, UnknownFlagNamesItsIndex) {
  spec::LinuxSeccomp s = allow_but("mkdir", "SCMP_ACT_ERRNO");
  s.flags = {"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_BOGUS"};
  EXPECT_THAT(error_of(s), HasSubstr("/linux/seccomp/flags/1: unknown flag"));
}

TEST(Seccomp, ErrnoRetOnlyWithErrnoOrTrace) {
  spec::LinuxSeccomp s = allow_but("mkdir", "SCMP_ACT_KILL_PROCESS");
  s.syscalls[0].errnoRet = 5;
  EXPECT_THAT(error_of(s), HasSubstr("/linux/seccomp/syscalls/0/errnoRet"));
  s.syscalls[0].action = "SCMP_ACT_TRACE";
  EXPECT_EQ(error_of(s), "");
}

TEST(Seccomp, ArgumentIndexAboveFiveIsRefused) {
  spec::LinuxSeccomp s = allow_but("kill", "SCMP_ACT_ERRNO");
  s.syscalls[0].args.push_back({6, 1, 0, "SCMP_CMP_EQ"});
  EXPECT_THAT(error_of(s), HasSubstr("/linux/seccomp/syscalls/0/args/0/index"));
}

TEST(Seccomp, UnknownSyscallNameIsSkippedWithADebugLine) {
  spec::LinuxSeccomp s = allow_but("not_a_syscall_at_all", "SCMP_ACT_ERRNO");
  s.syscalls[0].names.push_back("mkdir");
  std::vector<std::string> lines;
  SeccompProgram p =
      compile_seccomp(s, "config.json", [&](const std::string& l) { lines.push_back(l); });
  EXPECT_FALSE(p.bpf.empty());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_THAT(lines[0], HasSubstr("not_a_syscall_at_all"));
}

TEST(Seccomp, NotifyAsksForAListenerAndDropsTsync) {
  spec::LinuxSeccomp s = allow_but("mkdir", "SCMP_ACT_NOTIFY");
  s.flags = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
  SeccompProgram p = compile_seccomp(s, "config.json");
  EXPECT_TRUE(p.notify);
  EXPECT_TRUE(p.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER);
  EXPECT_FALSE(p.flags & SECCOMP_FILTER_FLAG_TSYNC);
  EXPECT_TRUE(p.flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
}

TEST(Seccomp, WaitKillableRecvNeedsANotifyRule) {
  spec::LinuxSeccomp s = allow_but("mkdir", "SCMP_ACT_ERRNO");
  s.flags = {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
  EXPECT_THAT(error_of(s), HasSubstr("/linux/seccomp/flags"));
}

TEST(Seccomp, RuleRepeatingTheDefaultIsDropped) {
  spec::LinuxSeccomp s = allow_but("mkdir", "SCMP_ACT_ALLOW");
  EXPECT_EQ(error_of(s), "");
}

TEST(Seccomp, LoadedProgramFiltersWithTheErrnoAndMaskedCompare) {
  spec::LinuxSeccomp s = allow_but("mkdir", "SCMP_ACT_ERRNO");
  s.syscalls[0].names.push_back("mkdirat");
  s.syscalls[0].errnoRet = EXDEV;
  // umask(mask & 07000 == 04000) -> EPERM; other umasks pass.
  spec::LinuxSyscall um;
  um.names = {"umask"};
  um.action = "SCMP_ACT_ERRNO";
  um.args.push_back({0, 07000, 04000, "SCMP_CMP_MASKED_EQ"});
  s.syscalls.push_back(um);
  SeccompProgram p = compile_seccomp(s, "config.json");
  int code = test::in_child([&] {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    load_seccomp(p, "config.json");
    if (::mkdir("/tmp/hull-seccomp-test-never", 0700) == 0 || errno != EXDEV) return 1;
    if (::syscall(SYS_umask, 04022) != -1 || errno != EPERM) return 2;
    if (::syscall(SYS_umask, 0022) == -1) return 3;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

spec::LinuxSeccomp allow_list(std::vector<std::string> names) {
  // What a sanitizer runtime calls on its own in the child (fake stacks, its signal stack,
  // its thread id); all older than every syscall the tests reason about, so the profile's
  // newest call stays the one each test names.
  for (const char* rt : {"mmap", "munmap", "mprotect", "madvise", "sigaltstack", "gettid",
                         "rt_sigprocmask", "rt_sigaction"}) {
    names.emplace_back(rt);
  }
  spec::LinuxSeccomp s;
  s.defaultAction = "SCMP_ACT_ERRNO";
  spec::LinuxSyscall sc;
  sc.names = std::move(names);
  sc.action = "SCMP_ACT_ALLOW";
  s.syscalls.push_back(sc);
  return s;
}

TEST(Seccomp, SyscallsNewerThanTheProfileGetEnosysOlderOnesTheDefault) {
  // The newest listed is exit_group (231 on x86_64): clone3 (435) and 1000 are unknown to
  // the profile, getpid (39) is known and refused by the default.
  SeccompProgram p = compile_seccomp(
      allow_list({"exit_group", "exit", "write", "getppid", "rt_sigreturn"}), "config.json");
  int code = test::in_child([&] {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    load_seccomp(p, "config.json");
    if (::syscall(1000) != -1 || errno != ENOSYS) return 1;
    if (::syscall(SYS_clone3, 0, 0) != -1 || errno != ENOSYS) return 2;
    if (::syscall(SYS_getpid) != -1 || errno != EPERM) return 3;
    if (::syscall(SYS_getppid) < 0) return 4;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

TEST(Seccomp, AProfileThatKnowsClone3KeepsItsDefaultForIt) {
  // faccessat2 (439) is newer than clone3 (435): clone3 unlisted falls to the default.
  SeccompProgram p = compile_seccomp(
      allow_list({"exit_group", "exit", "write", "faccessat2", "rt_sigreturn"}), "config.json");
  int code = test::in_child([&] {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    load_seccomp(p, "config.json");
    if (::syscall(SYS_clone3, 0, 0) != -1 || errno != EPERM) return 1;
    if (::syscall(1000) != -1 || errno != ENOSYS) return 2;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

TEST(Seccomp, X32NumbersAreJudgedByTheX32Limit) {
  // x32 numbers carry bit 30: an x86_64 profile without x32 leaves them to libseccomp (which
  // refuses them as a foreign architecture); with x32 listed, a newer x32 call gets ENOSYS.
  spec::LinuxSeccomp s = allow_list({"exit_group", "exit", "write", "getppid", "rt_sigreturn"});
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X32"};
  SeccompProgram p = compile_seccomp(s, "config.json");
  int code = test::in_child([&] {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    load_seccomp(p, "config.json");
    if (::syscall(0x40000000 | 1000) != -1 || errno != ENOSYS) return 1;
    if (::syscall(1000) != -1 || errno != ENOSYS) return 2;
    if (::syscall(SYS_getppid) < 0) return 3;
    return 0;
  });
  EXPECT_EQ(code, 0);
}

TEST(Seccomp, KillProcessEndsTheChildWithSigsys) {
  SeccompProgram p = compile_seccomp(allow_but("getppid", "SCMP_ACT_KILL_PROCESS"), "config.json");
  int code = test::in_child([&] {
    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    load_seccomp(p, "config.json");
    ::getppid();
    return 0;
  });
  EXPECT_EQ(code, 128 + SIGSYS);
}

TEST(Seccomp, NotifyStateCarriesMetadataPidAndState) {
  std::string st = R"({"ociVersion":"1.2.0","id":"c1","status":"created","pid":42,"bundle":"/b"})";
  std::string out = seccomp_notify_state(st, "meta", "running");
  EXPECT_THAT(out, HasSubstr(R"("fds":["seccompFd"])"));
  EXPECT_THAT(out, HasSubstr(R"("pid":42)"));
  EXPECT_THAT(out, HasSubstr(R"("metadata":"meta")"));
  EXPECT_THAT(out, HasSubstr(R"("state":{"ociVersion":"1.2.0","id":"c1","status":"running")"));
}

}  // namespace
}  // namespace hull::security
