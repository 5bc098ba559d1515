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

}  // namespace
