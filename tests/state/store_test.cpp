#include "state/store.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <unistd.h>

#include <filesystem>
#include <iterator>

#include "hull/error.hpp"
#include "linux/files.hpp"
#include "state/fingerprint.hpp"
#include "support/error_of.hpp"

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

using hull::test::error_of;

TEST_F(StoreTest, CreateSaveLoadList) {
  hull::state::Store store(root_ + "/sub/");
  {
    auto dir = store.create("abc", {});
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
  { auto dir = store.create("gone", {}); }
  EXPECT_FALSE(fs::exists(root_ + "/gone"));
  EXPECT_TRUE(store.ids().empty());
}

TEST_F(StoreTest, DuplicateIdIsRefused) {
  hull::state::Store store(root_);
  auto dir = store.create("dup", {});
  EXPECT_EQ(error_of([&] { store.create("dup", {}); }), "container \"dup\" already exists");
}

TEST_F(StoreTest, MissingContainerIsAClearError) {
  hull::state::Store store(root_);
  EXPECT_EQ(error_of([&] { store.open("nope"); }), "container \"nope\" does not exist");
}

TEST_F(StoreTest, IdsThatAreNotOnePathComponentAreRefused) {
  hull::state::Store store(root_);
  for (const char* bad : {"", ".", "..", "a/b", "../x", "a b", "x\n"}) {
    EXPECT_NE(error_of([&] { store.create(bad, {}); }).find("invalid container id"),
              std::string::npos)
        << bad;
  }
  EXPECT_FALSE(fs::exists(root_ + "/x"));
}

TEST_F(StoreTest, OpenHoldsTheLockUntilReleased) {
  hull::state::Store store(root_);
  auto dir = store.create("locked", {});
  int fd = ::open((root_ + "/locked").c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), -1);
  dir.unlock();
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  ::close(fd);
}

TEST_F(StoreTest, RemoveDeletesTheWholeDirectory) {
  hull::state::Store store(root_);
  auto dir = store.create("rm", {});
  dir.save({});
  fs::create_directories(root_ + "/rm/nested/deeper");
  dir.remove();
  EXPECT_FALSE(fs::exists(root_ + "/rm"));
}

// A delete killed (here: failing) while it removes the files: the id's name went first, in one
// rename, so nothing under the id is left half removed and unlisted. The removal fails on a
// mount inside the directory (remove_tree never crosses one).
TEST_F(StoreTest, RemoveGivesUpTheIdsNameBeforeTheFiles) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root (a mount)";
  hull::state::Store store(root_);
  auto dir = store.create("rm", {});
  dir.save({});
  fs::create_directories(root_ + "/rm/mnt");
  ASSERT_EQ(::mount("hull-test", (root_ + "/rm/mnt").c_str(), "tmpfs", 0, nullptr), 0);
  EXPECT_THROW(dir.remove(), hull::Error);
  EXPECT_FALSE(fs::exists(root_ + "/rm"));
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(root_)) names.push_back(e.path().filename());
  ASSERT_EQ(names.size(), 1U);
  EXPECT_EQ(names[0].rfind("~del~" + std::to_string(::getpid()) + "-", 0), 0U) << names[0];
  EXPECT_TRUE(store.ids().empty());
  ::umount2((root_ + "/" + names[0] + "/mnt").c_str(), MNT_DETACH);
}

TEST_F(StoreTest, TheRecordExistsFromTheFirstMoment) {
  hull::state::Store store(root_);
  hull::state::Record early;
  early.id = "early";
  early.creating = true;
  auto dir = store.create("early", early, {{"config.json", "{}"}});
  EXPECT_TRUE(store.exists("early"));
  EXPECT_TRUE(store.view("early").load().creating);
  EXPECT_EQ(hull::linux_::read_file(root_ + "/early/config.json"), "{}");
  EXPECT_EQ(store.ids(), std::vector<std::string>{"early"});
  // Nothing of the temporary name is left.
  EXPECT_EQ(std::distance(fs::directory_iterator(root_), fs::directory_iterator()), 1);
}

TEST_F(StoreTest, TryOpenDoesNotWaitForAHolder) {
  hull::state::Store store(root_);
  auto dir = store.create("busy", {});
  EXPECT_FALSE(store.try_open("busy").has_value());
  dir.keep();
  dir.unlock();
  EXPECT_TRUE(store.try_open("busy").has_value());
  EXPECT_EQ(error_of([&] { store.try_open("none"); }), "container \"none\" does not exist");
}

TEST_F(StoreTest, TemporaryDirsOfDeadCreatesAndDeletesAreSwept) {
  hull::state::Store store(root_);
  // pid 2^22+1 is above pid_max's ceiling: never alive; pid 1 lives: its dirs are left alone.
  for (const char* d : {"~new~4194305/x", "~new~1", "~del~4194305-3/x", "~del~1-0"}) {
    fs::create_directories(root_ + "/" + d);
  }
  auto dir = store.create("next", {});
  EXPECT_FALSE(fs::exists(root_ + "/~new~4194305"));
  EXPECT_TRUE(fs::exists(root_ + "/~new~1"));
  EXPECT_FALSE(fs::exists(root_ + "/~del~4194305-3"));
  EXPECT_TRUE(fs::exists(root_ + "/~del~1-0"));
  EXPECT_EQ(store.ids(), std::vector<std::string>{"next"});
}

TEST_F(StoreTest, AStaleDirWithoutRecordIsRemovedUnlessHeld) {
  hull::state::Store store(root_);
  fs::create_directories(root_ + "/old/sub");
  EXPECT_FALSE(store.exists("old"));
  EXPECT_TRUE(store.remove_stale("old"));
  EXPECT_FALSE(fs::exists(root_ + "/old"));
  EXPECT_FALSE(store.remove_stale("old"));
  auto dir = store.create("held", {});
  EXPECT_FALSE(store.remove_stale("held"));  // has a record
}

}  // namespace

namespace {

class SavedFileTest : public StoreTest {
 protected:
  // As create leaves a container: a file beside the record, and the record saved once more.
  void make(const std::string& content) {
    hull::state::Store store(root_);
    auto dir = store.create("c", {}, {{"config.json", content}});
    dir.save(hull::state::Record{});
    dir.keep();
  }
  bool intact() {
    return hull::state::Store(root_).view("c").read_saved("config.json", 1 << 20).intact;
  }
  void write(const std::string& text) {
    hull::linux_::write_file_atomic(root_ + "/c/config.json", text);
  }
};

TEST_F(SavedFileTest, IntactWhileTheBytesAreTheOnesWritten) {
  make("{\"a\": 1}");
  EXPECT_TRUE(intact());
  auto saved = hull::state::Store(root_).view("c").read_saved("config.json", 1 << 20);
  EXPECT_EQ(saved.text, "{\"a\": 1}");
  // Every later save keeps the fingerprint (the record loaded carries it).
  {
    auto dir = hull::state::Store(root_).open("c");
    auto r = dir.load();
    r.pid = 9;
    dir.save(r);
  }
  EXPECT_TRUE(intact());
}

TEST_F(SavedFileTest, AnyChangeIsSeen) {
  make("{\"a\": 1}");
  for (const char* changed : {"{\"a\": 2}", "{\"a\": 1", "{\"a\": 1}\n", "", "{\"b\": 1}"}) {
    write(changed);
    EXPECT_FALSE(intact()) << changed;
  }
  write("{\"a\": 1}");
  EXPECT_TRUE(intact());
}

TEST_F(SavedFileTest, AFingerprintOfAnotherBuildDoesNotMatch) {
  make("{}");
  {
    auto dir = hull::state::Store(root_).open("c");
    auto r = dir.load();
    std::string& print = r.checked.at("config.json");
    EXPECT_EQ(print.rfind(hull::state::build_id() + ":2:", 0), 0u) << print;
    print[0] = print[0] == '0' ? '1' : '0';
    dir.save(r);
  }
  EXPECT_FALSE(intact());
}

TEST_F(SavedFileTest, AMissingFileIsAnErrorNamingIt) {
  make("{}");
  fs::remove(root_ + "/c/config.json");
  std::string e =
      error_of([&] { hull::state::Store(root_).view("c").read_saved("config.json", 64); });
  EXPECT_NE(e.find(root_ + "/c/config.json"), std::string::npos) << e;
}

TEST(Fingerprint, NamesTheBuildTheSizeAndTheBytes) {
  ASSERT_FALSE(hull::state::build_id().empty()) << "the binary has no GNU build id";
  std::string a = hull::state::fingerprint("abc");
  EXPECT_EQ(a, hull::state::fingerprint("abc"));
  EXPECT_NE(a, hull::state::fingerprint("abd"));
  EXPECT_NE(a, hull::state::fingerprint("abc "));
  EXPECT_EQ(a, hull::state::build_id() +
                   ":3:sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
