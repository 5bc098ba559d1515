// Bundles: unpack and prepare write a runnable bundle or nothing; commit turns the changes into
// a layer that unpacks back to the same tree; release and gc leave no mount or entry behind.
#include "image/bundle.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "builder.hpp"
#include "hull/error.hpp"
#include "image/layout.hpp"

namespace hull::image {
namespace {

using test::dir;
using test::file;
using test::symlink;

bool exists(const std::string& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0;
}

bool mounted(const std::string& path) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.find(" " + path + " ") != std::string::npos) return true;
  return false;
}

class BundleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    layout_ = t_ / "layout";
    test::add_image(layout_, "base",
                    {{{dir("etc"), file("etc/passwd", "root:x:0:0::/:/bin/sh\n"), dir("data"),
                       file("data/keep", "k"), file("data/drop", "d"), dir("old"),
                       file("old/a", "a"), dir("redo"), file("redo/stale", "s")}},
                     {{file("etc/hostname", "base\n"), symlink("link", "data/keep")}, "zstd"}},
                    "\"Cmd\":[\"/bin/sh\"]");
    opts_.store = t_ / "store";
    opts_.apply.note = [](const std::string&) {};
  }

  void TearDown() override {
    // Whatever a failed assertion left mounted goes before the temp tree does.
    for (const auto& b : bundles_)
      if (mounted(b + "/rootfs")) ::umount2((b + "/rootfs").c_str(), MNT_DETACH);
  }

  std::string bundle(const std::string& name) {
    bundles_.push_back(t_ / name);
    return t_ / name;
  }

  // Changes of every kind a commit must carry.
  void change(const std::string& rootfs) {
    test::write_file(rootfs + "/data/new", "new");
    ASSERT_EQ(::unlink((rootfs + "/data/drop").c_str()), 0);
    remove_all(rootfs + "/old");
    remove_all(rootfs + "/redo");
    ASSERT_EQ(::mkdir((rootfs + "/redo").c_str(), 0700), 0);
    test::write_file(rootfs + "/redo/fresh", "f");
    ASSERT_EQ(::chmod((rootfs + "/etc/passwd").c_str(), 0600), 0);
    ASSERT_EQ(::link((rootfs + "/data/new").c_str(), (rootfs + "/data/new2").c_str()), 0);
  }

  void expect_changed(const std::string& rootfs) {
    EXPECT_EQ(test::read_file(rootfs + "/data/new"), "new");
    EXPECT_EQ(test::read_file(rootfs + "/data/keep"), "k");
    EXPECT_FALSE(exists(rootfs + "/data/drop"));
    EXPECT_FALSE(exists(rootfs + "/old"));
    EXPECT_FALSE(exists(rootfs + "/redo/stale"));
    EXPECT_EQ(test::read_file(rootfs + "/redo/fresh"), "f");
    struct stat st, st2;
    ASSERT_EQ(::stat((rootfs + "/etc/passwd").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    ASSERT_EQ(::stat((rootfs + "/redo").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat((rootfs + "/data/new").c_str(), &st), 0);
    ASSERT_EQ(::stat((rootfs + "/data/new2").c_str(), &st2), 0);
    EXPECT_EQ(st.st_ino, st2.st_ino);
    EXPECT_EQ(test::read_file(rootfs + "/etc/hostname"), "base\n");
  }

  test::TempTree t_;
  std::string layout_;
  BundleOptions opts_;
  std::vector<std::string> bundles_;
};

TEST_F(BundleTest, UnpackCommitUnpack) {
  std::string b = bundle("b");
  unpack(parse_ref("oci:" + layout_ + ":base"), b, opts_);
  EXPECT_TRUE(exists(b + "/config.json"));
  EXPECT_EQ(test::read_file(b + "/rootfs/data/keep"), "k");
  change(b + "/rootfs");
  std::string digest = commit(b, parse_ref("oci:" + layout_ + ":v2"), {});
  Layout l(layout_);
  bool tagged = false;
  for (const auto& e : l.entries()) tagged |= e.tag == "v2" && e.desc.digest == digest;
  EXPECT_TRUE(tagged);
  std::string b2 = bundle("b2");
  unpack(parse_ref("oci:" + layout_ + ":v2"), b2, opts_);
  expect_changed(b2 + "/rootfs");
  // Into another layout: the base layers travel with it.
  commit(b, parse_ref("oci:" + t_ / "other" + ":x"), {});
  std::string b3 = bundle("b3");
  unpack(parse_ref("oci:" + t_ / "other" + ":x"), b3, opts_);
  expect_changed(b3 + "/rootfs");
  release(b);
  EXPECT_FALSE(exists(b));
}

TEST_F(BundleTest, FailedUnpackLeavesNothing) {
  Image img = open_image(parse_ref("oci:" + layout_ + ":base"), {});
  std::string blob = layout_ + "/blobs/sha256/" + img.layers[1].blob.digest.substr(7);
  std::string data = test::read_file(blob);
  data[data.size() / 2] ^= 1;
  test::write_file(blob, data);
  std::string b = bundle("broken");
  try {
    unpack(parse_ref("oci:" + layout_ + ":base"), b, opts_);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(img.layers[1].blob.digest), std::string::npos) << e.what();
  }
  EXPECT_FALSE(exists(b));
  opts_.apply.note = nullptr;
  EXPECT_THROW(prepare(parse_ref("oci:" + layout_ + ":base"), b, opts_), Error);
  EXPECT_FALSE(exists(b));
  EXPECT_FALSE(exists(opts_.store + "/sha256/" + img.layers[1].diff_id.substr(7)))
      << "a layer that failed its checks never enters the store";
  EXPECT_FALSE(exists(opts_.store + "/sha256/" + img.layers[0].diff_id.substr(7)))
      << "a failed prepare takes back the layers it put in the store";
  struct stat st;
  ASSERT_EQ(::stat((opts_.store + "/tmp").c_str(), &st), 0);
  EXPECT_EQ(st.st_nlink, 2u) << "no half-extracted layer is left in tmp/";
}

TEST_F(BundleTest, UnpackRefusesANonEmptyRootfs) {
  std::string b = bundle("b");
  make_dirs(b + "/rootfs");
  test::write_file(b + "/rootfs/mine", "x");
  EXPECT_THROW(unpack(parse_ref("oci:" + layout_ + ":base"), b, opts_), Error);
  EXPECT_EQ(test::read_file(b + "/rootfs/mine"), "x");
}

TEST_F(BundleTest, PrepareCommitReleaseGc) {
  if (::geteuid() != 0) GTEST_SKIP() << "overlay mounts need root";
  std::string b = bundle("ov"), b2 = bundle("ov2");
  prepare(parse_ref("oci:" + layout_ + ":base"), b, opts_);
  EXPECT_TRUE(mounted(b + "/rootfs"));
  EXPECT_EQ(test::read_file(b + "/rootfs/etc/hostname"), "base\n");
  EXPECT_FALSE(exists(b + "/rootfs/.wh..wh..opq"));
  // Warm: the second bundle reuses the store entries.
  prepare(parse_ref("oci:" + layout_ + ":base"), b2, opts_);
  EXPECT_TRUE(mounted(b2 + "/rootfs"));
  change(b + "/rootfs");
  EXPECT_EQ(test::read_file(b2 + "/rootfs/data/drop"), "d") << "bundles do not share changes";
  commit(b, parse_ref("oci:" + layout_ + ":ov"), {});
  std::string b3 = bundle("ov3");
  prepare(parse_ref("oci:" + layout_ + ":ov"), b3, opts_);
  expect_changed(b3 + "/rootfs");
  EXPECT_TRUE(gc(opts_.store, {}, {}).empty()) << "every layer is in use";
  release(b);
  release(b3);
  EXPECT_FALSE(mounted(b + "/rootfs"));
  EXPECT_FALSE(exists(b));
  auto removed = gc(opts_.store, {}, {});
  EXPECT_EQ(removed.size(), 1u) << "only the committed layer is unused; base is still in b2";
  release(b2);
  EXPECT_EQ(gc(opts_.store, {parse_ref("oci:" + layout_ + ":base")}, {}).size(), 0u);
  EXPECT_EQ(gc(opts_.store, {}, {}).size(), 2u);
  EXPECT_THROW(release(b2), Error) << "already released";
}

TEST_F(BundleTest, PrepareRefusesRootless) {
  opts_.apply.rootless = true;
  EXPECT_THROW(prepare(parse_ref("oci:" + layout_ + ":base"), bundle("r"), opts_), Error);
}

}  // namespace
}  // namespace hull::image
