// The one child entry and the re-exec decision of the self-exe protection.
#include "linux/child.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>

#include "hull/error.hpp"
#include "linux/self_exe.hpp"
#include "linux/sync_socket.hpp"

namespace {

using hull::linux_::Msg;
using hull::linux_::SyncSocket;

int wait_exit(pid_t pid) {
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(ChildMain, AThrowIsReportedOverTheSyncSocketAndNeverUnwindsIntoTheParent) {
  SyncSocket parent, child;
  SyncSocket::pair(parent, child);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    try {
      hull::linux_::child_main(&child, [] { throw hull::Error("setting up: boom"); });
    } catch (...) {
      ::_exit(42);  // the parent's frame: must never run in the child
    }
  }
  child.close();
  auto m = parent.receive();
  EXPECT_EQ(m.type, Msg::kError);
  EXPECT_EQ(m.payload, "setting up: boom");
  EXPECT_EQ(wait_exit(pid), 1);
}

TEST(ChildMain, AnyExceptionTypeIsCaught) {
  SyncSocket parent, child;
  SyncSocket::pair(parent, child);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) hull::linux_::child_main(&child, [] { throw 7; });
  child.close();
  EXPECT_EQ(parent.receive().type, Msg::kError);
  EXPECT_EQ(wait_exit(pid), 1);
}

TEST(ChildMain, ABodyThatReturnsExitsZero) {
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) hull::linux_::child_main(nullptr, [] {});
  EXPECT_EQ(wait_exit(pid), 0);
}

TEST(ChildMain, WithTheParentGoneTheErrorStillEndsTheChildWithOne) {
  SyncSocket parent, child;
  SyncSocket::pair(parent, child);
  parent.close();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::close(2);  // the stderr fallback has nowhere to go either: still exit 1
    hull::linux_::child_main(&child, [] { throw std::runtime_error("x"); });
  }
  EXPECT_EQ(wait_exit(pid), 1);
}

bool clones(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  return hull::linux_::clones_container_processes(static_cast<int>(args.size()), argv.data());
}

TEST(SelfExe, OnlyCreateRunAndExecReexecute) {
  EXPECT_TRUE(clones({"hull", "create", "-b", "x", "id"}));
  EXPECT_TRUE(clones({"hull", "run", "id"}));
  EXPECT_TRUE(clones({"hull", "exec", "id", "sh"}));
  EXPECT_FALSE(clones({"hull", "state", "run"}));
  EXPECT_FALSE(clones({"hull", "list"}));
  EXPECT_FALSE(clones({"hull", "start", "exec"}));
  EXPECT_FALSE(clones({"hull"}));
  EXPECT_FALSE(clones({"hull", "--version"}));
}

TEST(SelfExe, GlobalOptionValuesAreNotTakenForTheSubcommand) {
  EXPECT_FALSE(clones({"hull", "--root", "run", "state", "x"}));
  EXPECT_FALSE(clones({"hull", "--log", "exec", "list"}));
  EXPECT_TRUE(clones({"hull", "--root", "/r", "--log", "/l", "--log-format", "json", "--debug",
                      "--systemd-cgroup", "create", "x"}));
  EXPECT_TRUE(clones({"hull", "--root=/r", "--log-format=json", "run", "x"}));
  EXPECT_TRUE(clones({"hull", "--rootless", "false", "--criu", "c", "exec", "x", "y"}));
}

}  // namespace
