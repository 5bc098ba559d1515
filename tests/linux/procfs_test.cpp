// Writes into procfs refuse anything that is not the real procfs: a tmpfs standing in for
// /proc, or a file bind-mounted over a proc file (each in a private mount namespace).
#include "linux/procfs.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>

#include "hull/error.hpp"
#include "support/child.hpp"

namespace hull::linux_ {
namespace {

using ::testing::HasSubstr;

TEST(Procfs, RealProcOpens) {
  EXPECT_NO_THROW(open_procfs());
}

TEST(Procfs, ATmpfsInPlaceOfProcIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  char dir[] = "/tmp/hull-procfs-XXXXXX";
  ASSERT_NE(::mkdtemp(dir), nullptr);
  int code = test::in_child([&] {
    if (::unshare(CLONE_NEWNS) < 0) return 10;
    ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    if (::mount("fake", dir, "tmpfs", 0, nullptr) < 0) return 11;
    try {
      open_procfs(dir);
    } catch (const Error& e) {
      return e.message().find("not on procfs") != std::string::npos ? 0 : 2;
    }
    return 1;
  });
  ::rmdir(dir);
  EXPECT_EQ(code, 0);
}

TEST(Procfs, AFileMountedOverAProcFileCatchesNoWrite) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root";
  char file[] = "/tmp/hull-procfs-file-XXXXXX";
  int fd = ::mkstemp(file);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "planted", 7), 7);
  ::close(fd);
  int code = test::in_child([&] {
    if (::unshare(CLONE_NEWNS) < 0) return 10;
    ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr);
    std::string target = "/proc/" + std::to_string(::getpid()) + "/oom_score_adj";
    if (::mount(file, target.c_str(), nullptr, MS_BIND, nullptr) < 0) return 11;
    try {
      write_proc("self/oom_score_adj", "5");
    } catch (const Error&) {
      return 0;
    }
    return 1;
  });
  std::ifstream in(file);
  std::string content;
  std::getline(in, content);
  ::unlink(file);
  EXPECT_EQ(code, 0);
  EXPECT_EQ(content, "planted");
}

TEST(Procfs, MagicLinksAreNotFollowed) {
  // /proc/self/cwd is a magic link: a write must not reach whatever it points at.
  EXPECT_THROW(write_proc("self/cwd/hull-should-not-exist", "x"), Error);
  EXPECT_NE(::access("hull-should-not-exist", F_OK), 0);
}

}  // namespace
}  // namespace hull::linux_
