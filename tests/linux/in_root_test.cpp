#include "linux/in_root.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "linux/fd.hpp"
#include "temp_dir.hpp"

namespace {

using namespace hull::linux_;
using test::is_there;
using test::TempDir;
using test::write_text;

// The inode an fd is on, to compare with a path's.
bool same_file(int fd, const std::string& path) {
  struct stat a, b;
  return ::fstat(fd, &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev &&
         a.st_ino == b.st_ino;
}

class InRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = t_ / "root";
    outside_ = t_ / "outside";
    ASSERT_EQ(::mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(outside_.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir((root_ + "/etc").c_str(), 0755), 0);
    write_text(root_ + "/etc/passwd", "inside");
    write_text(outside_ + "/passwd", "outside");
    fd_ = Fd(::open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(fd_);
  }
  TempDir t_;
  std::string root_, outside_;
  Fd fd_;
};

TEST_F(InRoot, DotDotAndAbsoluteSymlinksStayInside) {
  ASSERT_EQ(::symlink("/etc", (root_ + "/abs").c_str()), 0);
  ASSERT_EQ(::symlink("../../../../etc", (root_ + "/up").c_str()), 0);
  ASSERT_EQ(::symlink(outside_.c_str(), (root_ + "/host").c_str()), 0);
  for (const char* p : {"/abs/passwd", "up/passwd", "../../etc/passwd", "/../etc/./passwd"}) {
    Fd fd = open_in_root(fd_.get(), p, O_RDONLY);
    ASSERT_TRUE(fd) << p;
    EXPECT_TRUE(same_file(fd.get(), root_ + "/etc/passwd")) << p;
  }
  // The host path behind the symlink does not exist inside: ENOENT, never the host's file.
  Fd fd = open_in_root(fd_.get(), "/host/passwd", O_RDONLY);
  EXPECT_FALSE(fd);
  EXPECT_EQ(errno, ENOENT);
  for (const char* p : {"", "/", "."}) {
    Fd r = open_in_root(fd_.get(), p, O_PATH);
    ASSERT_TRUE(r) << p;
    EXPECT_TRUE(same_file(r.get(), root_)) << p;
  }
}

TEST_F(InRoot, MagicLinksAreRefused) {
  // /proc/self/root inside the root would lead to the host's "/".
  ASSERT_EQ(::symlink("/proc/self/root/etc", (root_ + "/magic").c_str()), 0);
  ASSERT_EQ(::mkdir((root_ + "/proc").c_str(), 0755), 0);
  ASSERT_EQ(::symlink("/proc/self/root", (root_ + "/proc/self").c_str()), 0);
  Fd fd = open_in_root(fd_.get(), "/magic/passwd", O_RDONLY);
  // Inside the root /proc/self is only a plain symlink to /proc/self/root: a loop, never the host.
  EXPECT_FALSE(fd);
  EXPECT_NE(errno, 0);
}

TEST_F(InRoot, WalkMakesMissingDirectoriesWhereSymlinksLead) {
  ASSERT_EQ(::symlink("/var/lib", (root_ + "/data").c_str()), 0);  // dangling
  ASSERT_EQ(::symlink("../../../outside-made", (root_ + "/esc").c_str()), 0);
  Fd a = walk_in_root(fd_.get(), "/data/x/y", Make::kDirs);
  ASSERT_TRUE(a);
  EXPECT_TRUE(same_file(a.get(), root_ + "/var/lib/x/y"));
  Fd b = walk_in_root(fd_.get(), "esc/z", Make::kDirs);
  ASSERT_TRUE(b);
  EXPECT_TRUE(same_file(b.get(), root_ + "/outside-made/z"));
  EXPECT_FALSE(is_there(t_ / "outside-made"));
  // The last component as a file, through ".." that stops at the root.
  Fd f = walk_in_root(fd_.get(), "../../dev/null", Make::kFile);
  ASSERT_TRUE(f);
  struct stat st;
  ASSERT_EQ(::stat((root_ + "/dev/null").c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_TRUE(same_file(f.get(), root_ + "/dev/null"));
  // What exists is opened, not made again; a file where a directory must be is ENOTDIR.
  Fd again = walk_in_root(fd_.get(), "/etc/passwd", Make::kFile);
  ASSERT_TRUE(again);
  EXPECT_TRUE(same_file(again.get(), root_ + "/etc/passwd"));
  EXPECT_FALSE(walk_in_root(fd_.get(), "/etc/passwd/sub", Make::kDirs));
  EXPECT_EQ(errno, ENOTDIR);
  EXPECT_FALSE(walk_in_root(fd_.get(), "/etc/passwd", Make::kDirs));
  EXPECT_EQ(errno, ENOTDIR);
  // kNothing makes nothing.
  EXPECT_FALSE(walk_in_root(fd_.get(), "/new/dir", Make::kNothing));
  EXPECT_EQ(errno, ENOENT);
  EXPECT_FALSE(is_there(root_ + "/new"));
}

TEST_F(InRoot, WalkGivesUpOnSymlinkLoops) {
  ASSERT_EQ(::symlink("b", (root_ + "/a").c_str()), 0);
  ASSERT_EQ(::symlink("a", (root_ + "/b").c_str()), 0);
  EXPECT_FALSE(walk_in_root(fd_.get(), "/a/x", Make::kDirs));
  EXPECT_EQ(errno, ELOOP);
  EXPECT_FALSE(is_there(root_ + "/x"));
}

TEST_F(InRoot, WalkHandlesPathsLongerThanPathMax) {
  std::string rel;
  while (rel.size() < 3 * PATH_MAX) rel += "/0123456789abcdef0123456789abcdef";
  Fd fd = walk_in_root(fd_.get(), rel, Make::kDirs);
  ASSERT_TRUE(fd);
  Fd again = walk_in_root(fd_.get(), rel + "/../..", Make::kNothing);
  ASSERT_TRUE(again);
  std::string cmd = "rm -rf '" + root_ + "/0123456789abcdef0123456789abcdef'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
}

// A rename racing the lookup swaps a directory for a symlink to the host and back: every
// answer is either inside the root or a failure, never the host's file.
TEST_F(InRoot, ARacingRenameNeverLeadsOutside) {
  ASSERT_EQ(::mkdir((root_ + "/d").c_str(), 0755), 0);
  write_text(root_ + "/d/passwd", "inside");
  ASSERT_EQ(::symlink(outside_.c_str(), (root_ + "/evil").c_str()), 0);
  ASSERT_EQ(::symlink("../../../../../..", (root_ + "/d/up").c_str()), 0);
  std::atomic<bool> stop{false};
  std::thread swapper([&] {
    std::string a = root_ + "/d", b = root_ + "/evil";
    while (!stop) ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE);
  });
  int inside = 0, outside = 0, failed = 0;
  for (int i = 0; i < 20000; ++i) {
    for (const char* p : {"/d/passwd", "/d/up/outside/passwd", "/d/up/etc/passwd"}) {
      Fd fd = open_in_root(fd_.get(), p, O_RDONLY);
      if (!fd) {
        ++failed;
        continue;
      }
      char buf[16] = {};
      ssize_t n = ::read(fd.get(), buf, sizeof(buf) - 1);
      std::string got(buf, n > 0 ? static_cast<size_t>(n) : 0);
      (got == "outside" ? outside : inside)++;
    }
    // Made inside wherever the race leads (root/made, or below root/tmp/... where the
    // host path of evil points inside the root): never next to the root.
    (void)walk_in_root(fd_.get(), "/d/up/made", Make::kDirs);
  }
  stop = true;
  swapper.join();
  EXPECT_EQ(outside, 0);
  EXPECT_GT(inside, 0);
  EXPECT_FALSE(is_there(t_ / "made"));
  EXPECT_FALSE(is_there(outside_ + "/up"));
  EXPECT_TRUE(is_there(root_ + "/made"));
  (void)failed;
}

}  // namespace
