// Hooks under a fault-injecting kernel: a failure at any step names the hook, and no hook
// child outlives run_hook.
#include "hooks/hooks.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cerrno>
#include <string>

#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"

namespace hull::hooks {
namespace {

using linux_::FaultKernel;
using linux_::host_kernel;
using linux_::parse_fault_plan;
using linux_::ScopedKernel;

spec::Hook sh(const std::string& script) {
  spec::Hook h;
  h.path = "/bin/sh";
  h.args = {"sh", "-c", script};
  return h;
}

std::string failure_of(const spec::Hook& hook, const std::string& plan) {
  FaultKernel fk(&host_kernel(), parse_fault_plan(plan));
  ScopedKernel scope(fk);
  try {
    run_hook(hook, "{}");
  } catch (const Error& e) {
    return e.message();
  }
  ADD_FAILURE() << "run_hook succeeded under " << plan;
  return "";
}

// No child of ours is left, running or zombie.
void expect_no_children() {
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(HookFaults, APipeThatCannotBeMadeNamesTheHook) {
  std::string msg = failure_of(sh("exit 0"), "open:1");
  EXPECT_NE(msg.find("hook /bin/sh"), std::string::npos) << msg;
  EXPECT_NE(msg.find("pipe"), std::string::npos) << msg;
  expect_no_children();
}

TEST(HookFaults, AFailedWaitKillsAndReapsTheHook) {
  // The first wait-kind call is the poll that feeds the hook: the hook (which would sleep
  // for an hour) must be killed and reaped, not left behind.
  std::string msg = failure_of(sh("sleep 3600"), "wait:1");
  EXPECT_NE(msg.find("hook /bin/sh"), std::string::npos) << msg;
  EXPECT_NE(msg.find("poll the hook"), std::string::npos) << msg;
  expect_no_children();
}

TEST(HookFaults, StdioThatCannotBeSetUpIsTheHooksFailure) {
  // The child counts on from the parent's numbers: its dup3 onto stdin is the first.
  std::string msg = failure_of(sh("exit 0"), "dup:1");
  EXPECT_NE(msg.find("exited with status 127"), std::string::npos) << msg;
  EXPECT_NE(msg.find("setting up stdio failed"), std::string::npos) << msg;
  expect_no_children();
}

TEST(HookFaults, AnExecThatFailsSaysSo) {
  std::string msg = failure_of(sh("exit 0"), "exec:1:EACCES");
  EXPECT_NE(msg.find("exec failed: Permission denied"), std::string::npos) << msg;
  expect_no_children();
}

TEST(HookFaults, AStageNamesTheStageAndIndex) {
  FaultKernel fk(&host_kernel(), parse_fault_plan("open:1"));
  ScopedKernel scope(fk);
  try {
    run_stage({sh("exit 0")}, "createRuntime", "{}", true);
    FAIL() << "a fatal stage should have thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.message().rfind("config.json: /hooks/createRuntime/0: hook /bin/sh", 0), 0u)
        << e.message();
  }
  expect_no_children();
}

}  // namespace
}  // namespace hull::hooks
