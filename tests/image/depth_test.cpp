// Issue 16 items 10-12: trees of any depth (in-root resolution past PATH_MAX, iterative walks
// and removal), live overlay mounts read from mountinfo, and untrusted names in errors.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "builder.hpp"
#include "hull/error.hpp"
#include "image/confine.hpp"
#include "image/fd.hpp"
#include "image/mounts.hpp"
#include "image/text.hpp"
#include "image/walk.hpp"

namespace hull::image {
namespace {

std::string repeat(const std::string& part, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += (i ? "/" : "") + part;
  return out;
}

TEST(Shown, EscapesAndCaps) {
  EXPECT_EQ(shown("etc/passwd"), "etc/passwd");
  EXPECT_EQ(shown(std::string("a\x1b[2J\nb\\c\xff", 10)), "a\\x1b[2J\\x0ab\\\\c\\xff");
  std::string big = std::string(1000, 'a') + std::string(1000, 'z');
  std::string s = shown(big);
  EXPECT_EQ(s, std::string(96, 'a') + "\xe2\x80\xa6" + std::string(32, 'z') + " (2000 bytes)");
  EXPECT_EQ(shown(std::string(kShownMax, 'q')), std::string(kShownMax, 'q'));
  EXPECT_EQ(shown(static_cast<const char*>(nullptr)), "(none)");
}

TEST(OverlayDirs, UndoesTheKernelsAndOverlaysEscapes) {
  std::string info =
      "36 25 0:32 / /sys rw - sysfs sysfs rw\n"
      "60 26 0:48 / /tmp/m rw,relatime shared:5 - overlay overlay "
      "rw,lowerdir=/s/l\\0401:/s/l\\134:2:/s/l\\134\\0543,upperdir=/s/u:x,workdir=/s/w\\040x,"
      "uuid=on\n"
      "61 26 0:49 / /tmp/n rw - overlay overlay ro,lowerdir=/a::/data\n"
      "62 26 0:50 / /tmp/o rw - ext4 /dev/sda1 rw,lowerdir=/not/overlay\n"
      "garbage without a separator\n";
  EXPECT_EQ(overlay_dirs(info), (std::vector<std::string>{"/s/l 1", "/s/l:2", "/s/l,3", "/s/u:x",
                                                          "/s/w x", "/a", "/data"}));
  EXPECT_TRUE(overlay_dirs("").empty());
}

TEST(Depth, MakeAndOpenPastPathMaxWithASymlinkDeepDown) {
  test::TempTree t;
  std::string root = t / "root";
  ASSERT_EQ(::mkdir(root.c_str(), 0755), 0);
  Fd rfd = open_or_throw(root, O_RDONLY | O_DIRECTORY);
  std::string deep = repeat("dd", 3000);  // 9000 bytes: three pieces
  Fd made = make_dir_in_root(rfd.get(), deep);
  ASSERT_TRUE(made);
  // A symlink past the first piece, absolute: resolved from the root, not the host.
  ASSERT_EQ(::symlinkat("/target", made.get(), "jump"), 0);
  Fd through = make_dir_in_root(rfd.get(), deep + "/jump/x");
  ASSERT_TRUE(through);
  struct stat a, b;
  ASSERT_EQ(::fstat(through.get(), &a), 0);
  ASSERT_EQ(::stat((root + "/target/x").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);
  EXPECT_TRUE(open_dir_in_root(rfd.get(), deep + "/jump/x"));
  // ".." in a link target stops at the root.
  ASSERT_EQ(::symlinkat("/../../../up", made.get(), "climb"), 0);
  ASSERT_TRUE(make_dir_in_root(rfd.get(), deep + "/climb"));
  ASSERT_EQ(::stat((root + "/up").c_str(), &b), 0);
  EXPECT_FALSE(::access((t / "up").c_str(), F_OK) == 0);
  // A file in the way is named, cut to size.
  ASSERT_EQ(::mknodat(made.get(), "file", S_IFREG | 0644, 0), 0);
  try {
    make_dir_in_root(rfd.get(), deep + "/file/below");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(9010 bytes): a path component is not a directory"),
              std::string::npos)
        << e.what();
  }
  // A loop of links ends.
  ASSERT_EQ(::symlinkat("loop", made.get(), "loop"), 0);
  EXPECT_THROW(make_dir_in_root(rfd.get(), deep + "/loop/x"), Error);
}

TEST(Depth, WalkAndRemoveFiveThousandLevels) {
  test::TempTree t;
  std::string top = t / "top";
  ASSERT_EQ(::mkdir(top.c_str(), 0755), 0);
  Fd cur = open_or_throw(top, O_RDONLY | O_DIRECTORY);
  for (int i = 0; i < 5000; ++i) {
    ASSERT_EQ(::mkdirat(cur.get(), "d", 0755), 0);
    if (i % 1000 == 0) {
      ASSERT_EQ(::mknodat(cur.get(), "f", S_IFREG | 0644, 0), 0);
    }
    cur = Fd(::openat(cur.get(), "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(cur);
  }
  cur = Fd();
  Fd tfd = open_or_throw(top, O_RDONLY | O_DIRECTORY);
  size_t dirs = 0, files = 0, left = 0;
  walk(
      tfd.get(),
      [&](const WalkItem& it) {
        (S_ISDIR(it.st.st_mode) ? dirs : files)++;
        return true;
      },
      [&](const WalkItem&) { ++left; });
  EXPECT_EQ(dirs, 5000u);
  EXPECT_EQ(files, 5u);
  EXPECT_EQ(left, 5000u);
  tfd = Fd();
  remove_all(top);
  EXPECT_NE(::access(top.c_str(), F_OK), 0);
}

}  // namespace
}  // namespace hull::image
