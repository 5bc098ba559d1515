// Layer application: every member type, the whiteout rules in both forms, and every way a
// member could try to write outside the rootfs.
#include "image/apply.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "builder.hpp"
#include "hull/error.hpp"
#include "image/stream.hpp"

namespace hull::image {
namespace {

using test::dir;
using test::file;
using test::hardlink;
using test::Member;
using test::symlink;

class ApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = tmp_ / "root";
    outside_ = tmp_ / "outside";
    ASSERT_EQ(::mkdir(root_.c_str(), 0755), 0);
    ASSERT_EQ(::mkdir(outside_.c_str(), 0755), 0);
    test::write_file(outside_ + "/secret", "host secret");
  }

  ApplyStats apply(const std::vector<Member>& members, ApplyOptions opts = {}) {
    std::string path = tmp_ / ("layer" + std::to_string(n_++));
    test::write_file(path, test::gzip(test::make_tar(members)));
    LayerReader reader(open_or_throw(path, O_RDONLY), Compression::kGzip, {}, "test layer");
    Fd root = open_or_throw(root_, O_RDONLY | O_DIRECTORY);
    if (!opts.note) opts.note = [this](const std::string& n) { notes_.push_back(n); };
    ApplyStats stats = apply_layer(reader.tar(), root.get(), opts, "test layer");
    reader.finish();
    return stats;
  }

  bool exists(const std::string& rel) {
    struct stat st;
    return ::lstat((root_ + "/" + rel).c_str(), &st) == 0;
  }
  struct stat lst(const std::string& rel) {
    struct stat st {};
    EXPECT_EQ(::lstat((root_ + "/" + rel).c_str(), &st), 0) << rel;
    return st;
  }
  std::string content(const std::string& rel) { return test::read_file(root_ + "/" + rel); }
  void outside_untouched() {
    EXPECT_EQ(test::read_file(outside_ + "/secret"), "host secret");
    struct stat st;
    EXPECT_NE(::lstat((outside_ + "/x").c_str(), &st), 0);
    EXPECT_NE(::lstat((tmp_ / "x").c_str(), &st), 0);
  }

  test::TempTree tmp_;
  std::string root_, outside_;
  std::vector<std::string> notes_;
  int n_ = 0;
};

TEST_F(ApplyTest, MemberTypesModesOwnersTimes) {
  Member suid = file("bin/su", "binary", 04755);
  suid.uid = 1000;
  suid.gid = 50;
  suid.mtime = 123456789;
  Member fifo;
  fifo.name = "run/fifo";
  fifo.type = 'p';
  fifo.mode = 0600;
  Member null;
  null.name = "dev/null";
  null.type = 'c';
  null.major = 1;
  null.minor = 3;
  null.mode = 0666;
  Member blk = null;
  blk.name = "dev/loop9";
  blk.type = 'b';
  blk.major = 7;
  blk.minor = 9;
  Member d = dir("data", 0750);
  d.uid = 33;
  d.mtime = 222;
  apply({d, file("data/a", "hello"), suid, symlink("bin/sh", "su"), hardlink("data/b", "data/a"),
         fifo, null, blk});
  EXPECT_EQ(content("data/a"), "hello");
  auto su = lst("bin/su");
  EXPECT_EQ(su.st_mode & 07777, 04755u);
  EXPECT_EQ(su.st_uid, 1000u);
  EXPECT_EQ(su.st_gid, 50u);
  EXPECT_EQ(su.st_mtim.tv_sec, 123456789);
  auto dd = lst("data");
  EXPECT_TRUE(S_ISDIR(dd.st_mode));
  EXPECT_EQ(dd.st_mode & 07777, 0750u);
  EXPECT_EQ(dd.st_uid, 33u);
  EXPECT_EQ(dd.st_mtim.tv_sec, 222) << "directory mtime set after its children were written";
  char target[64] = {};
  ASSERT_GT(::readlink((root_ + "/bin/sh").c_str(), target, sizeof target), 0);
  EXPECT_STREQ(target, "su");
  EXPECT_EQ(lst("data/a").st_ino, lst("data/b").st_ino);
  EXPECT_EQ(lst("data/a").st_nlink, 2u);
  EXPECT_TRUE(S_ISFIFO(lst("run/fifo").st_mode));
  auto n = lst("dev/null");
  EXPECT_TRUE(S_ISCHR(n.st_mode));
  EXPECT_EQ(n.st_rdev, makedev(1, 3));
  EXPECT_TRUE(S_ISBLK(lst("dev/loop9").st_mode));
  EXPECT_EQ(lst("dev/loop9").st_rdev, makedev(7, 9));
}

TEST_F(ApplyTest, Xattrs) {
  Member f = file("f", "x");
  f.xattrs = {{"user.color", "blue"}, {"trusted.overlay.redirect", "/etc"}};
  apply({f});
  char v[16] = {};
  ASSERT_EQ(::getxattr((root_ + "/f").c_str(), "user.color", v, sizeof v), 4);
  EXPECT_STREQ(v, "blue");
  EXPECT_LT(::getxattr((root_ + "/f").c_str(), "trusted.overlay.redirect", v, sizeof v), 0)
      << "overlay's own attributes must never come from a layer";
}

TEST_F(ApplyTest, LongNamesAndSparseFiles) {
  std::string a(200, 'a'), b(200, 'b');
  Member sparse = file("sparse", std::string(4096, 'z'));
  sparse.sparse_size = 16 << 20;
  apply(
      {dir(a), dir(a + "/" + b), file(a + "/" + b + "/" + std::string(250, 'c'), "deep"), sparse});
  EXPECT_EQ(content(a + "/" + b + "/" + std::string(250, 'c')), "deep");
  auto st = lst("sparse");
  EXPECT_EQ(st.st_size, 16 << 20);
  EXPECT_LT(st.st_blocks * 512, 1 << 20) << "holes stay holes";
  std::string data = content("sparse");
  EXPECT_EQ(data.substr(0, 4096), std::string(4096, 'z'));
  EXPECT_EQ(data.substr(data.size() - 4096), std::string(4096, 'z'));
  EXPECT_EQ(data.find_first_not_of('\0', 4096), data.size() - 4096);
}

TEST_F(ApplyTest, WhiteoutRemovesFileAndDirectory) {
  apply({file("etc/keep", "k"), file("etc/gone", "g"), dir("var/cache"), file("var/cache/x", "x")});
  apply({file("etc/.wh.gone", ""), file("var/.wh.cache", "")});
  EXPECT_TRUE(exists("etc/keep"));
  EXPECT_FALSE(exists("etc/gone"));
  EXPECT_FALSE(exists("etc/.wh.gone"));
  EXPECT_FALSE(exists("var/cache"));
  EXPECT_TRUE(exists("var"));
}

TEST_F(ApplyTest, OpaqueDirectoryKeepsOnlyThisLayer) {
  apply({dir("d"), file("d/old", "o"), dir("d/sub"), file("d/sub/old2", "o"), file("other", "x")});
  // The opaque marker comes after some of the layer's own entries: order must not matter.
  apply({dir("d"), file("d/new", "n"), dir("d/sub"), file("d/.wh..wh..opq", ""),
         file("d/sub/new2", "n")});
  EXPECT_TRUE(exists("d/new"));
  EXPECT_TRUE(exists("d/sub/new2"));
  EXPECT_FALSE(exists("d/old"));
  EXPECT_FALSE(exists("d/sub/old2"));
  EXPECT_FALSE(exists("d/.wh..wh..opq"));
  EXPECT_TRUE(exists("other"));
}

TEST_F(ApplyTest, OverlayFormWhiteouts) {
  ApplyOptions o;
  o.whiteouts = Whiteouts::kOverlay;
  apply({dir("d"), file("d/.wh..wh..opq", ""), file("d/.wh.gone", ""), file("d/kept", "k")}, o);
  auto wh = lst("d/gone");
  EXPECT_TRUE(S_ISCHR(wh.st_mode));
  EXPECT_EQ(wh.st_rdev, makedev(0, 0));
  char v[4] = {};
  EXPECT_EQ(::getxattr((root_ + "/d").c_str(), "trusted.overlay.opaque", v, sizeof v), 1);
  EXPECT_EQ(v[0], 'y');
  EXPECT_TRUE(exists("d/kept"));
}

TEST_F(ApplyTest, HardlinkToLaterRemovedFile) {
  apply({file("a", "shared"), hardlink("b", "a")});
  apply({file(".wh.a", "")});
  EXPECT_FALSE(exists("a"));
  EXPECT_EQ(content("b"), "shared");
  EXPECT_EQ(lst("b").st_nlink, 1u);
}

TEST_F(ApplyTest, ReplacingTypes) {
  apply({dir("x"), file("x/inner", "i"), file("y", "file"), symlink("z", "/etc")});
  apply({file("x", "now a file"), dir("y"), file("z", "not a link")});
  EXPECT_EQ(content("x"), "now a file");
  EXPECT_TRUE(S_ISDIR(lst("y").st_mode));
  EXPECT_TRUE(S_ISREG(lst("z").st_mode));
}

// --- escapes: confined -------------------------------------------------------------------

TEST_F(ApplyTest, DotDotNamesAreConfined) {
  apply({file("../../x", "dotdot"), file("a/../../../b", "b")});
  EXPECT_EQ(content("x"), "dotdot");
  EXPECT_EQ(content("b"), "b");
  outside_untouched();
}

TEST_F(ApplyTest, AbsoluteNamesAreConfined) {
  apply({file("/x", "abs"), dir("//etc"), file("/etc/conf", "c")});
  EXPECT_EQ(content("x"), "abs");
  EXPECT_EQ(content("etc/conf"), "c");
  outside_untouched();
}

TEST_F(ApplyTest, AbsoluteSymlinkParentIsConfined) {
  apply({symlink("evil", outside_), symlink("up", "../../../.."), symlink("root", "/")});
  apply({file("evil/x", "1"), file("up/x", "2"), file("root/y", "3")});
  outside_untouched();
  EXPECT_EQ(content(outside_.substr(1) + "/x"), "1") << "resolved as the container would";
  EXPECT_EQ(content("x"), "2");
  EXPECT_EQ(content("y"), "3");
}

TEST_F(ApplyTest, SymlinkAsFinalComponentIsReplacedNotFollowed) {
  apply({dir("etc"), symlink("etc/passwd", outside_ + "/secret")});
  apply({file("etc/passwd", "root:x:0:0::/:/bin/sh\n")});
  outside_untouched();
  EXPECT_TRUE(S_ISREG(lst("etc/passwd").st_mode));
}

TEST_F(ApplyTest, SymlinkChainThroughDirectoriesIsConfined) {
  apply({symlink("a", "b/../../.."), dir("b")});
  apply({file("a/x", "chain")});
  outside_untouched();
  EXPECT_EQ(content("x"), "chain");
}

TEST_F(ApplyTest, WhiteoutEscapesAreConfined) {
  apply({symlink("evil", outside_)});
  apply({file("../.wh.secret", ""), file("evil/.wh.secret", "")});
  outside_untouched();
}

TEST_F(ApplyTest, HardlinkThroughSymlinkIsConfined) {
  apply({file("inside", "in"), symlink("evil", outside_), symlink("top", "/")});
  apply({hardlink("l1", "top/inside")});
  EXPECT_EQ(lst("l1").st_ino, lst("inside").st_ino);
  outside_untouched();
}

TEST_F(ApplyTest, HardlinkToSymlinkLinksTheSymlink) {
  apply({symlink("s", outside_ + "/secret"), hardlink("h", "s")});
  EXPECT_TRUE(S_ISLNK(lst("h").st_mode));
  struct stat st;
  ASSERT_EQ(::lstat((outside_ + "/secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1u) << "the host file gained no link";
}

// --- escapes: refused ----------------------------------------------------------------------

TEST_F(ApplyTest, HardlinkOutOfTheRootfsIsRefused) {
  apply({symlink("evil", outside_)});
  for (const auto& target :
       {std::string("../outside/secret"), outside_ + "/secret", std::string("evil/secret")}) {
    try {
      apply({hardlink("stolen", target)});
      ADD_FAILURE() << target << " was linked";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("member stolen"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(exists("stolen"));
  }
  struct stat st;
  ASSERT_EQ(::lstat((outside_ + "/secret").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 1u);
}

TEST_F(ApplyTest, ReplacingTheRootIsRefused) {
  EXPECT_THROW(apply({file("/", "x")}), Error);
  EXPECT_THROW(apply({symlink("..", "/")}), Error);
  EXPECT_THROW(apply({hardlink("x", "/")}), Error);
  EXPECT_TRUE(S_ISDIR(lst("").st_mode));
}

TEST_F(ApplyTest, HardlinkToDirectoryIsRefused) {
  apply({dir("d")});
  EXPECT_THROW(apply({hardlink("l", "d")}), Error);
}

TEST_F(ApplyTest, ParentThatIsAFileIsAnError) {
  apply({file("f", "x")});
  try {
    apply({file("f/child", "y")});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("f/child"), std::string::npos) << e.what();
  }
}

// --- rootless ------------------------------------------------------------------------------

TEST_F(ApplyTest, RootlessSkipsDevicesAndMapsOwners) {
  Member null;
  null.name = "dev/null";
  null.type = 'c';
  null.major = 1;
  null.minor = 3;
  Member owned = file("owned", "x");
  owned.uid = 1;
  owned.gid = 2;
  Member unmapped = file("unmapped", "y");
  unmapped.uid = 70000;
  ApplyOptions o;
  o.rootless = true;
  o.uid_map = {{0, 100000, 65536}};
  o.gid_map = {{0, 200000, 65536}};
  auto stats = apply({null, owned, unmapped, file("rootfile", "z")}, o);
  EXPECT_FALSE(exists("dev/null"));
  EXPECT_EQ(stats.skipped, 1u);
  ASSERT_FALSE(notes_.empty());
  EXPECT_NE(notes_[0].find("dev/null"), std::string::npos);
  EXPECT_EQ(lst("owned").st_uid, 100001u);
  EXPECT_EQ(lst("owned").st_gid, 200002u);
  EXPECT_EQ(lst("rootfile").st_uid, 100000u);
  EXPECT_EQ(lst("unmapped").st_uid, ::getuid()) << "outside the map: the caller keeps it";
}

}  // namespace
}  // namespace hull::image
