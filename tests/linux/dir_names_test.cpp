#include "linux/dir_names.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "temp_dir.hpp"

namespace hull::linux_ {
namespace {

// The fds this process has open, but the walker's own.
std::set<int> open_fds() {
  std::set<int> out;
  for (DirNames d("/proc/self/fd"); d.next();) out.insert(std::atoi(d.name()));
  std::set<int> real;
  for (int n : out) {
    if (::fcntl(n, F_GETFD) >= 0) real.insert(n);  // the walker's fd is closed by now
  }
  return real;
}

class DirNamesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    test::write_text(dir_ / "a", "");
    ASSERT_EQ(::mkdir((dir_ / "sub").c_str(), 0700), 0);
    ASSERT_EQ(::symlink("a", (dir_ / "link").c_str()), 0);
  }
  // name -> d_type, as the walker yields them.
  static std::map<std::string, unsigned char> walk(DirNames& d) {
    std::map<std::string, unsigned char> out;
    while (d.next()) EXPECT_TRUE(out.emplace(d.name(), d.type()).second) << d.name();
    return out;
  }
  test::TempDir dir_;
};

TEST_F(DirNamesTest, YieldsEveryNameButDotAndDotDot) {
  DirNames d(dir_.path());
  auto names = walk(d);
  EXPECT_EQ(names.size(), 3u);
  EXPECT_EQ(names["a"], DT_REG);
  EXPECT_EQ(names["sub"], DT_DIR);
  EXPECT_EQ(names["link"], DT_LNK);
  EXPECT_FALSE(d.next());  // the end stays the end
}

TEST_F(DirNamesTest, AnEmptyDirectoryHasNoNames) {
  DirNames d(dir_ / "sub");
  EXPECT_FALSE(d.next());
}

TEST_F(DirNamesTest, ThroughAnFdTheFdStaysTheCallersAndNothingLeaks) {
  Fd fd(::open(dir_.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(fd);
  std::set<int> before = open_fds();
  {
    DirNames d(fd.get(), "the test dir");
    std::set<int> during = open_fds();
    std::vector<int> added;
    std::set_difference(during.begin(), during.end(), before.begin(), before.end(),
                        std::back_inserter(added));
    ASSERT_EQ(added.size(), 1u);
    // The walker's duplicate is close-on-exec: nothing of it reaches a container.
    EXPECT_TRUE(::fcntl(added[0], F_GETFD) & FD_CLOEXEC);
    EXPECT_EQ(walk(d).size(), 3u);
  }
  EXPECT_EQ(open_fds(), before);
  struct stat st;
  EXPECT_EQ(::fstat(fd.get(), &st), 0);
  // A second walker through the same fd lists it all again (the first left the offset at the end).
  auto again = DirNames::try_open(fd.get(), "the test dir");
  ASSERT_TRUE(again);
  EXPECT_EQ(walk(*again).size(), 3u);
}

TEST_F(DirNamesTest, AMovedWalkerClosesOnce) {
  std::set<int> before = open_fds();
  {
    auto d = DirNames::try_open(dir_.path());
    ASSERT_TRUE(d);
    DirNames moved(std::move(*d));
    d.reset();
    EXPECT_EQ(walk(moved).size(), 3u);
  }
  EXPECT_EQ(open_fds(), before);
}

TEST_F(DirNamesTest, WhatCannotBeOpenedIsAnErrorNamingIt) {
  std::string missing = dir_ / "missing";
  try {
    DirNames d(missing);
    ADD_FAILURE() << "listed a missing directory";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "listing " + missing + ": " + std::strerror(ENOENT));
    EXPECT_EQ(e.code(), ENOENT);
  }
  try {
    DirNames d(dir_ / "a", "the file a");
    ADD_FAILURE() << "listed a file";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), std::string("listing the file a: ") + std::strerror(ENOTDIR));
  }
  try {
    DirNames d(-1, "fd -1");
    ADD_FAILURE() << "listed fd -1";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), EBADF);
  }
  errno = 0;
  EXPECT_FALSE(DirNames::try_open(missing));
  EXPECT_EQ(errno, ENOENT);
}

}  // namespace
}  // namespace hull::linux_
