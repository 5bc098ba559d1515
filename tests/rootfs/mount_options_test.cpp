#include "rootfs/mount_options.hpp"

#include <gtest/gtest.h>
#include <linux/mount.h>
#include <sys/mount.h>

namespace {

using hull::rootfs::MountOptions;
using hull::rootfs::parse_mount_options;

TEST(MountOptions, FlagsSetAndCleared) {
  auto o = parse_mount_options({"nosuid", "noexec", "ro", "rw", "nodev", "strictatime"});
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_STRICTATIME));
  EXPECT_TRUE(o.data.empty());
}

TEST(MountOptions, RbindIsRecursiveBind) {
  auto o = parse_mount_options({"rbind", "ro"});
  EXPECT_TRUE(o.bind());
  EXPECT_EQ(o.flags & MS_REC, static_cast<unsigned long>(MS_REC));
}

TEST(MountOptions, FilesystemOptionsBecomeData) {
  auto o = parse_mount_options({"mode=755", "nosuid", "size=65536k"});
  EXPECT_EQ(o.data, "mode=755,size=65536k");
}

TEST(MountOptions, UnknownOptionsBecomeDataWithoutThrowing) {
  MountOptions o;
  ASSERT_NO_THROW(o = parse_mount_options({"rnosuch", "bogus", "ro"}));
  EXPECT_EQ(o.data, "rnosuch,bogus");
  EXPECT_EQ(o.flags, static_cast<unsigned long>(MS_RDONLY));
  EXPECT_FALSE(o.recursive_attrs);
}

TEST(MountOptions, PropagationInOrder) {
  auto o = parse_mount_options({"rprivate", "shared"});
  ASSERT_EQ(o.propagation.size(), 2u);
  EXPECT_EQ(o.propagation[0], static_cast<unsigned long>(MS_PRIVATE | MS_REC));
  EXPECT_EQ(o.propagation[1], static_cast<unsigned long>(MS_SHARED));
}

TEST(MountOptions, RecursiveAttributes) {
  auto o = parse_mount_options({"rro", "rnosuid", "rexec"});
  EXPECT_TRUE(o.recursive_attrs);
  EXPECT_EQ(o.attr_set, static_cast<uint64_t>(MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID));
  EXPECT_EQ(o.attr_clr, static_cast<uint64_t>(MOUNT_ATTR_NOEXEC));
}

}  // namespace
