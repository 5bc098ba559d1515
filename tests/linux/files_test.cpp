#include "linux/files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "hull/error.hpp"
#include "linux/close_fds.hpp"

namespace {

using namespace hull::linux_;

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hull-files-test.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::string cmd = "rm -rf '" + dir_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  std::vector<std::string> entries() const {
    std::vector<std::string> out;
    DIR* d = ::opendir(dir_.c_str());
    while (auto* e = ::readdir(d)) {
      std::string n = e->d_name;
      if (n != "." && n != "..") out.push_back(n);
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::string dir_;
};

TEST_F(TempDir, AtomicWriteReplacesASymlinkInsteadOfFollowingIt) {
  std::string target = dir_ + "/target", link = dir_ + "/pid";
  write_file(target, "precious", true);
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  write_file_atomic(link, "123");
  EXPECT_EQ(read_file(target), "precious");
  struct stat st;
  ASSERT_EQ(::lstat(link.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
  EXPECT_EQ(read_file(link), "123");
  EXPECT_EQ(entries(), (std::vector<std::string>{"pid", "target"}));
}

TEST_F(TempDir, AtomicWriteNeverWritesThroughALinkAtTheTemporaryName) {
  std::string target = dir_ + "/target", dangling = dir_ + "/would-be-created";
  write_file(target, "precious", true);
  ASSERT_EQ(::symlink(target.c_str(), (dir_ + "/.pid").c_str()), 0);
  ASSERT_EQ(::symlink(dangling.c_str(), (dir_ + "/.state").c_str()), 0);
  write_file_atomic(dir_ + "/pid", "123");
  write_file_atomic(dir_ + "/state", "{}");
  EXPECT_EQ(read_file(target), "precious");
  EXPECT_FALSE(exists(dangling));
  EXPECT_EQ(read_file(dir_ + "/pid"), "123");
  EXPECT_EQ(read_file(dir_ + "/state"), "{}");
  EXPECT_EQ(entries(), (std::vector<std::string>{".pid", ".state", "pid", "state", "target"}));
}

TEST_F(TempDir, AtomicWriteReplacesAPreCreatedFileAndLeavesNoTemporary) {
  std::string path = dir_ + "/state.json";
  write_file(path, "old old old", true);
  write_file_atomic(path, "new", 0600);
  EXPECT_EQ(read_file(path), "new");
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(entries(), std::vector<std::string>{"state.json"});
}

TEST_F(TempDir, AtomicWriteThroughADirFd) {
  int fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  write_file_atomic_at(fd, "state.json", "{}", 0600, "the state");
  ::close(fd);
  EXPECT_EQ(read_file(dir_ + "/state.json"), "{}");
}

TEST_F(TempDir, AtomicWriteFailuresNameThePathAndLeaveNothing) {
  std::string sub = dir_ + "/is-a-dir";
  ASSERT_EQ(::mkdir(sub.c_str(), 0755), 0);
  try {
    write_file_atomic(sub, "x");
    FAIL() << "writing over a directory succeeded";
  } catch (const hull::Error& e) {
    EXPECT_NE(e.message().find(sub), std::string::npos) << e.message();
  }
  EXPECT_EQ(entries(), std::vector<std::string>{"is-a-dir"});
  try {
    write_file_atomic(dir_ + "/no-such-dir/pid", "x");
    FAIL() << "writing into a missing directory succeeded";
  } catch (const hull::Error& e) {
    EXPECT_NE(e.message().find("no-such-dir"), std::string::npos) << e.message();
  }
}

TEST_F(TempDir, MkdirPMakesEveryMissingParentOnce) {
  std::string deep = dir_ + "/a/b/c";
  EXPECT_TRUE(mkdir_p(deep, 0700));
  struct stat st;
  ASSERT_EQ(::stat(deep.c_str(), &st), 0);
  EXPECT_TRUE(S_ISDIR(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_FALSE(mkdir_p(deep));  // already there
  EXPECT_FALSE(mkdir_p(dir_ + "/a/b/c/"));
  // Through a symlink to a directory, as mkdir -p goes.
  ASSERT_EQ(::symlink("a", (dir_ + "/link").c_str()), 0);
  EXPECT_TRUE(mkdir_p(dir_ + "/link/d"));
  EXPECT_TRUE(exists(dir_ + "/a/d"));
}

TEST_F(TempDir, MkdirPNamesWhatIsNotADirectory) {
  write_file(dir_ + "/file", "x", true);
  for (const std::string& p : {dir_ + "/file", dir_ + "/file/sub/deeper"}) {
    try {
      mkdir_p(p);
      FAIL() << "made " << p;
    } catch (const hull::Error& e) {
      EXPECT_EQ(e.message(), dir_ + "/file: exists and is not a directory");
    }
  }
  EXPECT_EQ(entries(), std::vector<std::string>{"file"});
}

// Runs close_fds_from in a child with extra fds open and reports which fds it still has.
TEST(CloseFds, OnlyFdsBelowFirstSurvive) {
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  int extra = ::open("/dev/null", O_RDONLY);  // not close-on-exec
  ASSERT_GE(extra, 3);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int report = ::fcntl(p[1], F_DUPFD, 100);
    close_fds_from(3);
    // report was closed too: only fd 0-2 may be valid now.
    int open_count = 0;
    for (int fd = 3; fd < 1024; ++fd) open_count += ::fcntl(fd, F_GETFD) >= 0;
    ::_exit(report >= 0 && ::fcntl(report, F_GETFD) < 0 && open_count == 0 ? 0 : 1);
  }
  ::close(p[1]);
  ::close(p[0]);
  ::close(extra);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

}  // namespace
