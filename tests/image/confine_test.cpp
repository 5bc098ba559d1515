// Name cleaning and in-root resolution, the two halves of path confinement.
#include "image/confine.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builder.hpp"
#include "hull/error.hpp"
#include "image/idmap.hpp"
#include "image/ref.hpp"

namespace hull::image {
namespace {

TEST(CleanName, RootsEveryNameInside) {
  EXPECT_EQ(clean_name("a/b/c"), "a/b/c");
  EXPECT_EQ(clean_name("./a//b/./c/"), "a/b/c");
  EXPECT_EQ(clean_name("/etc/passwd"), "etc/passwd");
  EXPECT_EQ(clean_name("../../etc/passwd"), "etc/passwd");
  EXPECT_EQ(clean_name("a/../../b"), "b");
  EXPECT_EQ(clean_name("a/b/../c"), "a/c");
  EXPECT_EQ(clean_name(".."), "");
  EXPECT_EQ(clean_name("/"), "");
  EXPECT_EQ(clean_name("./"), "");
  EXPECT_EQ(clean_name("..."), "...");
  EXPECT_EQ(clean_name(".wh..wh..opq"), ".wh..wh..opq");
}

TEST(SplitName, ParentAndBase) {
  EXPECT_EQ(split_name("a"), std::make_pair(std::string(), std::string("a")));
  EXPECT_EQ(split_name("a/b/c"), std::make_pair(std::string("a/b"), std::string("c")));
}

TEST(OpenInRoot, SymlinksResolveInsideTheRoot) {
  test::TempTree t;
  std::string root = t / "root";
  ASSERT_EQ(::mkdir(root.c_str(), 0755), 0);
  ASSERT_EQ(::mkdir((t / "root/etc").c_str(), 0755), 0);
  test::write_file(t / "root/etc/passwd", "inside");
  test::write_file(t / "passwd", "outside");
  ASSERT_EQ(::symlink("../../../../..", (t / "root/up").c_str()), 0);
  ASSERT_EQ(::symlink(t.path().c_str(), (t / "root/abs").c_str()), 0);
  Fd rfd = open_or_throw(root, O_RDONLY | O_DIRECTORY);
  auto read_all = [](Fd fd) {
    char buf[32] = {};
    EXPECT_GT(::read(fd.get(), buf, sizeof buf - 1), 0);
    return std::string(buf);
  };
  EXPECT_EQ(read_all(open_file_in_root(rfd.get(), "up/etc/passwd")), "inside");
  EXPECT_THROW(open_file_in_root(rfd.get(), "up/passwd"), Error) << "../passwd is outside";
  EXPECT_THROW(open_file_in_root(rfd.get(), "abs/passwd"), Error);
  Fd made = make_dir_in_root(rfd.get(), "abs/new/deeper");
  EXPECT_TRUE(made);
  struct stat st;
  EXPECT_EQ(::stat((root + t.path() + "/new/deeper").c_str(), &st), 0);
  EXPECT_NE(::stat((t / "new").c_str(), &st), 0);
}

TEST(IdMap, ParseAndMap) {
  auto m = parse_id_mapping("0:1000:10", "--uid-map");
  EXPECT_EQ(m.container_id, 0u);
  EXPECT_EQ(m.host_id, 1000u);
  EXPECT_EQ(m.size, 10u);
  EXPECT_EQ(map_id({m}, 9), 1009u);
  EXPECT_FALSE(map_id({m}, 10).has_value());
  EXPECT_EQ(map_id({}, 77), 77u);
  for (const char* bad : {"", "1:2", "1:2:3:4", "a:b:c", "1:2:0", "-1:2:3"})
    EXPECT_THROW(parse_id_mapping(bad, "--uid-map"), Error) << bad;
}

TEST(Ref, Transports) {
  auto r = parse_ref("oci:/tmp/layout:v1");
  EXPECT_EQ(r.kind, Ref::Kind::kOciLayout);
  EXPECT_EQ(r.path, "/tmp/layout");
  EXPECT_EQ(r.tag, "v1");
  r = parse_ref("oci:/tmp/lay:out/dir");
  EXPECT_EQ(r.path, "/tmp/lay:out/dir");
  EXPECT_EQ(r.tag, "");
  r = parse_ref("oci-archive:img.tar:latest");
  EXPECT_EQ(r.kind, Ref::Kind::kOciArchive);
  EXPECT_EQ(r.path, "img.tar");
  EXPECT_EQ(r.tag, "latest");
  r = parse_ref("docker-archive:/x/save.tar");
  EXPECT_EQ(r.kind, Ref::Kind::kDockerArchive);
  EXPECT_EQ(r.path, "/x/save.tar");
  EXPECT_THROW(parse_ref("docker://busybox"), Error);
  EXPECT_THROW(parse_ref("oci:"), Error);
  EXPECT_THROW(parse_ref("oci:dir:"), Error);
}

}  // namespace
}  // namespace hull::image
