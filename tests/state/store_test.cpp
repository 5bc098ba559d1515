#include "state/store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>

#include "hull/error.hpp"

namespace fs = std::filesystem;

namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hull-store-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string root_;
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const hull::Error& e) {
    return e.message();
  }
  return "";
}

TEST_F(StoreTest, CreateSaveLoadList) {
  hull::state::Store store(root_ + "/sub/");
  {
    auto dir = store.create("abc");
    hull::state::Record r;
    r.id = "abc";
    r.pid = 7;
    dir.save(r);
    dir.keep();
  }
  EXPECT_TRUE(store.exists("abc"));
  EXPECT_EQ(store.ids(), std::vector<std::string>{"abc"});
  EXPECT_EQ(store.open("abc").load().pid, 7);
  EXPECT_EQ((fs::status(root_ + "/sub").permissions() & fs::perms::all), fs::perms::owner_all);
}

TEST_F(StoreTest, AFailedCreateLeavesNothing) {
  hull::state::Store store(root_);
  { auto dir = store.create("gone"); }
  EXPECT_FALSE(fs::exists(root_ + "/gone"));
  EXPECT_TRUE(store.ids().empty());
}

TEST_F(StoreTest, DuplicateIdIsRefused) {
  hull::state::Store store(root_);
  auto dir = store.create("dup");
  EXPECT_EQ(error_of([&] { store.create("dup"); }), "container \"dup\" already exists");
}

TEST_F(StoreTest, MissingContainerIsAClearError) {
  hull::state::Store store(root_);
  EXPECT_EQ(error_of([&] { store.open("nope"); }), "container \"nope\" does not exist");
}

TEST_F(StoreTest, IdsThatAreNotOnePathComponentAreRefused) {
  hull::state::Store store(root_);
  for (const char* bad : {"", ".", "..", "a/b", "../x", "a b", "x\n"}) {
    EXPECT_NE(error_of([&] { store.create(bad); }).find("invalid container id"), std::string::npos)
        << bad;
  }
  EXPECT_FALSE(fs::exists(root_ + "/x"));
}

TEST_F(StoreTest, OpenHoldsTheLockUntilReleased) {
  hull::state::Store store(root_);
  auto dir = store.create("locked");
  int fd = ::open((root_ + "/locked").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), -1);
  dir.unlock();
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ::close(fd);
}

TEST_F(StoreTest, RemoveDeletesTheWholeDirectory) {
  hull::state::Store store(root_);
  auto dir = store.create("rm");
  dir.save({});
  fs::create_directories(root_ + "/rm/nested/deeper");
  dir.remove();
  EXPECT_FALSE(fs::exists(root_ + "/rm"));
}

}  // namespace
