#include "linux/remove_tree.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "temp_dir.hpp"

namespace {

using namespace hull::linux_;
using test::is_there;
using test::read_text;
using test::TempDir;
using test::write_text;

TEST(RemoveTree, RemovesFilesDirectoriesAndLinksBelow) {
  TempDir t;
  std::string top = t / "top";
  ASSERT_EQ(::mkdir(top.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((top + "/a").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((top + "/a/b").c_str(), 0000), 0);  // no permissions: root still empties it
  ASSERT_EQ(::mkdir((top + "/a/c").c_str(), 0755), 0);
  write_text(top + "/f", "x");
  write_text(top + "/a/c/g", "y");
  ASSERT_EQ(::mkfifo((top + "/a/fifo").c_str(), 0600), 0);
  ASSERT_EQ(::symlink("/nonexistent", (top + "/a/dangling").c_str()), 0);
  EXPECT_TRUE(remove_tree(top));
  EXPECT_FALSE(is_there(top));
  EXPECT_TRUE(is_there(t.path()));
  EXPECT_FALSE(remove_tree(top));  // nothing there any more
}

TEST(RemoveTree, ASymlinkToOutsideIsRemovedNotFollowed) {
  TempDir t;
  std::string outside = t / "outside", top = t / "top";
  ASSERT_EQ(::mkdir(outside.c_str(), 0755), 0);
  write_text(outside + "/precious", "keep");
  ASSERT_EQ(::mkdir(top.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((top + "/d").c_str(), 0755), 0);
  ASSERT_EQ(::symlink(outside.c_str(), (top + "/d/link").c_str()), 0);
  ASSERT_EQ(::symlink("../../outside", (top + "/d/rel").c_str()), 0);
  EXPECT_TRUE(remove_tree(top));
  EXPECT_FALSE(is_there(top));
  EXPECT_EQ(read_text(outside + "/precious"), "keep");
}

TEST(RemoveTree, ASymlinkAsTheTopIsRemovedItself) {
  TempDir t;
  std::string outside = t / "outside", link = t / "link";
  ASSERT_EQ(::mkdir(outside.c_str(), 0755), 0);
  write_text(outside + "/precious", "keep");
  ASSERT_EQ(::symlink(outside.c_str(), link.c_str()), 0);
  EXPECT_TRUE(remove_tree(link));
  EXPECT_FALSE(is_there(link));
  EXPECT_EQ(read_text(outside + "/precious"), "keep");
}

TEST(RemoveTree, DeepTreesNeedNoFdPerLevel) {
  TempDir t;
  std::string top = t / "top";
  ASSERT_EQ(::mkdir(top.c_str(), 0755), 0);
  Fd cur(::open(top.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  // Deeper than any path (and than the fd limit this test sets) could reach.
  for (int i = 0; i < 3000; ++i) {
    ASSERT_EQ(::mkdirat(cur.get(), "d", 0755), 0);
    cur = Fd(::openat(cur.get(), "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(cur);
  }
  cur.reset();
  std::string out = test::in_child_namespaces([&]() -> std::string {
    rlimit few{32, 32};
    if (::setrlimit(RLIMIT_NOFILE, &few) != 0) return "setrlimit failed";
    return remove_tree(top) ? "" : "nothing removed";
  });
  EXPECT_EQ(out, "");
  EXPECT_FALSE(is_there(top));
}

TEST(RemoveTree, RefusesToEnterABindMountAndNamesIt) {
  TempDir t;
  std::string src = t / "src", top = t / "top";
  ASSERT_EQ(::mkdir(src.c_str(), 0755), 0);
  write_text(src + "/precious", "keep");
  ASSERT_EQ(::mkdir(top.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((top + "/sub").c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((top + "/sub/mnt").c_str(), 0755), 0);
  std::string out = test::in_child_namespaces([&]() -> std::string {
    // The same filesystem bound onto itself: st_dev alone cannot tell, the mount id does.
    if (::mount(src.c_str(), (top + "/sub/mnt").c_str(), nullptr, MS_BIND, nullptr) != 0) {
      return "bind mount failed";
    }
    try {
      remove_tree(top);
      return "removed a tree with a mount inside";
    } catch (const hull::Error& e) {
      std::string msg = e.what();
      if (msg.find("refusing to remove " + top + "/sub/mnt: a mount point") == std::string::npos) {
        return "unexpected message: " + msg;
      }
    }
    if (read_text(src + "/precious") != "keep") return "the mount's content was touched";
    return "";
  });
  EXPECT_EQ(out, "");
  EXPECT_EQ(read_text(src + "/precious"), "keep");
  EXPECT_TRUE(is_there(top + "/sub/mnt"));
}

TEST(RemoveTree, RefusesAMountAtTheTop) {
  TempDir t;
  std::string top = t / "top";
  ASSERT_EQ(::mkdir(top.c_str(), 0755), 0);
  std::string out = test::in_child_namespaces([&]() -> std::string {
    if (::mount("tmpfs", top.c_str(), "tmpfs", 0, "size=1m") != 0) return "tmpfs mount failed";
    write_text(top + "/on-tmpfs", "keep");
    try {
      remove_tree(top);
      return "emptied a mount point";
    } catch (const hull::Error& e) {
      if (std::string(e.what()) != "refusing to remove " + top + ": a mount point") {
        return std::string("unexpected message: ") + e.what();
      }
    }
    return read_text(top + "/on-tmpfs") == "keep" ? "" : "the mount's content was touched";
  });
  EXPECT_EQ(out, "");
}

TEST(RemoveTree, ThroughADirFdAndEscapedNames) {
  TempDir t;
  std::string top = t / "top";
  ASSERT_EQ(::mkdir(top.c_str(), 0755), 0);
  std::string odd = top + "/line\nbreak";
  ASSERT_EQ(::mkdir(odd.c_str(), 0755), 0);
  write_text(odd + "/f", "x");
  // A directory that cannot be emptied (a mount inside it) names the entry, escaped. The dir
  // fd is opened in the child: one from another mount namespace does not see its mounts.
  std::string out = test::in_child_namespaces([&]() -> std::string {
    if (::mount("tmpfs", odd.c_str(), "tmpfs", 0, "size=1m") != 0) return "tmpfs mount failed";
    Fd dir(::open(t.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    try {
      remove_tree_at(dir.get(), "top", "the tree");
      return "removed it";
    } catch (const hull::Error& e) {
      std::string msg = e.what();
      return msg == "refusing to remove the tree/line\\x0abreak: a mount point" ? "" : msg;
    }
  });
  EXPECT_EQ(out, "");
  Fd dir(::open(t.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  EXPECT_TRUE(remove_tree_at(dir.get(), "top", "the tree"));
  EXPECT_FALSE(is_there(top));
  EXPECT_FALSE(remove_tree_at(dir.get(), "top", "the tree"));
}

TEST(RemoveTree, RefusesNamesThatAreNotEntries) {
  TempDir t;
  Fd dir(::open(t.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  for (const char* n : {"", ".", ".."}) {
    EXPECT_THROW(remove_tree_at(dir.get(), n, "x"), hull::Error) << n;
  }
  EXPECT_TRUE(is_there(t.path()));
}

}  // namespace
