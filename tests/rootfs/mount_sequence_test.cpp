// The mount sequence a config produces, walked without root through a kernel that records
// the calls and pretends they succeed; and, with one call failed, the error that names the
// step and the config entry.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <string>

#include "hull/error.hpp"
#include "recorder.hpp"
#include "rootfs/rootfs.hpp"
#include "support/error_of.hpp"

namespace hull::rootfs {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

spec::Mount mount(std::string dest, std::string type, std::string source,
                  std::vector<std::string> options) {
  spec::Mount m;
  m.destination = std::move(dest);
  m.type = std::move(type);
  m.source = std::move(source);
  m.options = std::move(options);
  return m;
}

class Rootfs : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/hull-rootfs-test-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    bundle_ = dir;
    spec_.linux_.emplace();
    ctx_.spec = &spec_;
    ctx_.bundle = bundle_;
    ctx_.rootfs = bundle_ + "/rootfs";
  }
  void TearDown() override { ::rmdir(bundle_.c_str()); }

  // Runs f under a Recorder with plan; returns the error's message, "" when none.
  template <typename F>
  std::string run(test::Recorder& rec, F&& f) {
    linux_::ScopedKernel scope(rec);
    return test::error_of(f);
  }

  std::string bundle_;
  spec::Spec spec_;
  Context ctx_;
};

// The mounts runc's default config makes, plus a read-only bind and a read-only tmpfs with
// a propagation option.
void default_mounts(spec::Spec& s, const std::string& bind_source) {
  s.mounts = {mount("/proc", "proc", "proc", {}),
              mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755"}),
              mount("/dev/pts", "devpts", "devpts", {"nosuid", "noexec", "gid=5"}),
              mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}),
              mount("/data", "bind", bind_source, {"rbind", "ro"}),
              mount("/run", "tmpfs", "tmpfs", {"ro", "rprivate"})};
}

TEST_F(Rootfs, MountsInConfigOrderWithBindRemountsAndPropagationAfter) {
  default_mounts(spec_, bundle_);
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { mount_all(ctx_); }), "");
  EXPECT_EQ(rec.log().front(), "open " + ctx_.rootfs);
  EXPECT_THAT(rec.lines("mount"),
              ElementsAre("mount proc on /proc type proc flags - data -",
                          "mount tmpfs on /dev type tmpfs flags nosuid|strictatime data mode=755",
                          "mount devpts on /dev/pts type devpts flags nosuid|noexec data gid=5",
                          "mount sysfs on /sys type sysfs flags ro|nosuid|nodev|noexec data -",
                          // A read-only bind is a bind, then a remount of the new mount.
                          "mount " + bundle_ + " on /data type - flags bind|rec data -",
                          "mount - on /data type - flags ro|remount|bind data -",
                          // A read-only tmpfs is mounted writable (finalize makes it read-only once
                          // what goes inside is there), then given its propagation.
                          "mount tmpfs on /run type tmpfs flags - data -",
                          "mount - on /run type - flags rec|private data -"));
}

TEST_F(Rootfs, RelativeBindSourcesAreTheBundles) {
  spec_.mounts = {mount("/data", "none", ".", {"bind"})};
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { mount_all(ctx_); }), "");
  EXPECT_THAT(rec.lines("mount"),
              ElementsAre("mount " + bundle_ + "/. on /data type - flags bind data -"));
}

TEST_F(Rootfs, CgroupMountBindsEachV1HierarchyUnderATmpfs) {
  std::vector<linux_::CgroupHierarchy> hs = {
      {"cpu", "/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu/c1"},
      {"memory", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/c1"},
      {"", "/sys/fs/cgroup/unified", "/sys/fs/cgroup/unified/c1"}};
  ctx_.cgroups = &hs;
  spec_.mounts = {mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "ro"})};
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { mount_all(ctx_); }), "");
  EXPECT_THAT(
      rec.lines("mount"),
      ElementsAre("mount tmpfs on /sys/fs/cgroup type tmpfs flags nosuid data mode=755",
                  "mount /sys/fs/cgroup/cpu/c1 on /sys/fs/cgroup/cpu type - flags bind|rec data -",
                  "mount - on /sys/fs/cgroup/cpu type - flags ro|nosuid|remount|bind data -",
                  "mount /sys/fs/cgroup/memory/c1 on /sys/fs/cgroup/memory type - flags "
                  "bind|rec data -",
                  "mount - on /sys/fs/cgroup/memory type - flags ro|nosuid|remount|bind data -"));
}

TEST_F(Rootfs, CgroupMountOnV2IsCgroup2InItsOwnNamespace) {
  std::vector<linux_::CgroupHierarchy> hs = {{"", "/sys/fs/cgroup", "/sys/fs/cgroup/c1"}};
  ctx_.cgroups = &hs;
  ctx_.new_cgroupns = true;
  spec_.mounts = {mount("/sys/fs/cgroup", "cgroup", "cgroup", {"nosuid", "ro"})};
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { mount_all(ctx_); }), "");
  EXPECT_THAT(rec.lines("mount"),
              ElementsAre("mount cgroup2 on /sys/fs/cgroup type cgroup2 flags ro|nosuid data -"));
}

TEST_F(Rootfs, CgroupMountWithoutACgroupIsRefusedNamingTheMount) {
  spec_.mounts = {mount("/sys/fs/cgroup", "cgroup", "cgroup", {})};
  test::Recorder rec;
  EXPECT_THAT(run(rec, [&] { mount_all(ctx_); }),
              HasSubstr("config.json: /mounts/0 (/sys/fs/cgroup): no cgroup"));
  EXPECT_TRUE(rec.lines("mount").empty());
}

// Every mount call of mount_all, failed in turn: the error names the config entry that made
// it and the errno, and nothing after the failed call is mounted.
TEST_F(Rootfs, EachFailedMountNamesItsConfigEntry) {
  default_mounts(spec_, bundle_);
  test::Recorder all;
  ASSERT_EQ(run(all, [&] { mount_all(ctx_); }), "");
  // The entry each mount call belongs to, from the destination it lands on.
  std::vector<std::string> mounts = all.lines("mount");
  const std::vector<std::string> entry = {
      "/mounts/0 (/proc): mount proc",
      "/mounts/1 (/dev): mount tmpfs",
      "/mounts/2 (/dev/pts): mount devpts",
      "/mounts/3 (/sys): mount sysfs",
      "/mounts/4 (/data): mount " + bundle_,
      "/mounts/4 (/data): remounting /proc/self/fd/",
      "/mounts/5 (/run): mount tmpfs",
      "/mounts/5 (/run): changing the propagation of /proc/self/fd/"};
  ASSERT_EQ(mounts.size(), entry.size());
  for (size_t n = 1; n <= mounts.size(); ++n) {
    test::Recorder rec("mount:" + std::to_string(n) + ":EACCES");
    std::string err = run(rec, [&] { mount_all(ctx_); });
    EXPECT_THAT(err, HasSubstr("config.json: " + entry[n - 1])) << "mount " << n;
    EXPECT_THAT(err, HasSubstr("Permission denied")) << "mount " << n;
    EXPECT_EQ(rec.lines("mount").size(), n) << "mounts went on after the failure";
    EXPECT_THAT(rec.lines("mount").back(), HasSubstr("[failed]"));
  }
}

TEST_F(Rootfs, AFailedMountSetattrNamesTheMount) {
  spec_.mounts = {mount("/data", "bind", bundle_, {"rbind", "rro"})};
  test::Recorder rec("mount:2:EINVAL");
  std::string err = run(rec, [&] { mount_all(ctx_); });
  EXPECT_THAT(rec.lines("mount"),
              ElementsAre("mount " + bundle_ + " on /data type - flags bind|rec data -",
                          "mount_setattr /data [failed]"));
  EXPECT_THAT(err, HasSubstr("config.json: /mounts/0 (/data): mount_setattr"));
}

TEST_F(Rootfs, APermissionDeniedSysfsFallsBackToABindOfTheHosts) {
  spec_.mounts = {mount("/sys", "sysfs", "sysfs", {"nosuid", "ro"})};
  test::Recorder rec("mount:1:EPERM");
  EXPECT_EQ(run(rec, [&] { mount_all(ctx_); }), "");
  EXPECT_THAT(rec.lines("mount"),
              ElementsAre("mount sysfs on /sys type sysfs flags ro|nosuid data - [failed]",
                          "mount /sys on /sys type - flags bind|rec data -",
                          "mount - on /sys type - flags ro|nosuid|remount|bind data -"));
}

TEST_F(Rootfs, PrepareMakesRootSlaveAndTheRootfsAPrivateMountOfItsOwn) {
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { prepare(ctx_); }), "");
  EXPECT_THAT(
      rec.lines("mount"),
      ElementsAre("mount - on / type - flags rec|slave data -",
                  "mount " + ctx_.rootfs + " on " + ctx_.rootfs + " type - flags bind|rec data -",
                  "mount - on " + ctx_.rootfs + " type - flags private data -"));
  spec_.linux_->rootfsPropagation = "bogus";
  EXPECT_THAT(run(rec, [&] { prepare(ctx_); }),
              HasSubstr("config.json: /linux/rootfsPropagation: unknown propagation \"bogus\""));
}

TEST_F(Rootfs, PrepareNamesTheMountItFailsOn) {
  test::Recorder rec("mount:1");
  EXPECT_THAT(run(rec, [&] { prepare(ctx_); }),
              HasSubstr("changing the propagation of /: Input/output error"));
  test::Recorder rec2("mount:2");
  EXPECT_THAT(run(rec2, [&] { prepare(ctx_); }), HasSubstr("mount " + ctx_.rootfs + ": "));
}

TEST_F(Rootfs, EnterRootPivotsAndDetachesTheOldRoot) {
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { enter_root(ctx_); }), "");
  EXPECT_THAT(
      rec.log(),
      ElementsAre("open /", "open " + ctx_.rootfs, "fchdir " + ctx_.rootfs, "pivot_root . .",
                  "fchdir /", "mount - on . type - flags rec|slave data -", "umount .", "chdir /"));
}

TEST_F(Rootfs, EnterRootWithoutPivotMovesAndChroots) {
  ctx_.no_pivot = true;
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { enter_root(ctx_); }), "");
  EXPECT_THAT(rec.log(), ElementsAre("chdir " + ctx_.rootfs,
                                     "mount " + ctx_.rootfs + " on / type - flags move data -",
                                     "chroot .", "chdir /"));
}

TEST_F(Rootfs, EachFailedPivotStepIsNamed) {
  struct Case {
    const char* plan;
    const char* says;
  };
  for (const Case& c :
       {Case{"open:1", "opening roots for pivot_root"},
        Case{"open:2", "opening roots for pivot_root"}, Case{"chdir:1", "chdir to rootfs"},
        Case{"pivot_root:1", "pivot_root"}, Case{"chdir:2", "chdir to old root"},
        Case{"mount:1", "changing the propagation of ."}, Case{"umount:1", "detaching old root"},
        Case{"chdir:3", "chdir /"}}) {
    test::Recorder rec(c.plan);
    EXPECT_THAT(run(rec, [&] { enter_root(ctx_); }),
                HasSubstr(std::string(c.says) + ": Input/output error"))
        << c.plan;
  }
}

TEST_F(Rootfs, DevicesAreNodesChownedThenTheStandardSymlinks) {
  spec::LinuxDevice fuse;
  fuse.path = "/dev/fuse";
  fuse.type = "c";
  fuse.major = 10;
  fuse.minor = 229;
  fuse.uid = 7;
  fuse.gid = 8;
  spec_.linux_->devices = {fuse};
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { create_devices(ctx_); }), "");
  std::vector<std::string> made;
  for (const auto& l : rec.log()) {
    if (l.rfind("mknod", 0) == 0 || l.rfind("chown", 0) == 0 || l.rfind("symlink", 0) == 0) {
      made.push_back(l);
    }
  }
  EXPECT_THAT(made, ::testing::IsSupersetOf(
                        {"mknod /dev/null", "chown /dev/null 0:0", "mknod /dev/tty",
                         "mknod /dev/fuse", "chown /dev/fuse 7:8",
                         "symlink /dev/fd -> /proc/self/fd", "symlink /dev/ptmx -> pts/ptmx"}));
  EXPECT_EQ(rec.lines("mknod").size(), 7u);  // six defaults and fuse
  EXPECT_TRUE(rec.lines("mount").empty());
  // Nothing stood in the way: nothing was removed first (one call per entry).
  EXPECT_EQ(rec.fault().count(linux_::Sys::unlink), 0u);
}

TEST_F(Rootfs, InAUserNamespaceDevicesAreBindsOfTheHosts) {
  ctx_.new_userns = true;
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { create_devices(ctx_); }), "");
  EXPECT_TRUE(rec.lines("mknod").empty());
  EXPECT_EQ(rec.lines("mount").size(), 6u);
  EXPECT_EQ(rec.lines("mount").front(), "mount /dev/null on /dev/null type - flags bind data -");
}

TEST_F(Rootfs, FailedDeviceStepsNameTheDevice) {
  spec::LinuxDevice fuse;
  fuse.path = "/dev/fuse";
  fuse.type = "c";
  spec_.linux_->devices = {fuse};
  struct Case {
    const char* plan;
    const char* says;
  };
  for (const Case& c : {Case{"mknod:3", "mknod /dev/full"},
                        Case{"mknod:7", "config.json: /linux/devices/0: mknod /dev/fuse"},
                        Case{"chown:1", "chown /dev/null"},
                        Case{"mknod:2:EEXIST,unlink:1:EBUSY", "removing /dev/zero"},
                        Case{"mknod:2:EEXIST,mknod:3:EEXIST", "mknod /dev/zero"},
                        Case{"symlink:2", "symlink /dev/stdin"}}) {
    test::Recorder rec(c.plan);
    std::string err = run(rec, [&] { create_devices(ctx_); });
    EXPECT_THAT(err, HasSubstr(c.says)) << c.plan;
  }
  // Something standing there is removed and the node or link made again; gone meanwhile
  // (ENOENT) is no failure.
  test::Recorder standing("mknod:1:EEXIST,symlink:1:EEXIST,unlink:*:ENOENT");
  EXPECT_EQ(run(standing, [&] { create_devices(ctx_); }), "");
  EXPECT_EQ(standing.fault().count(linux_::Sys::unlink), 2u);
  EXPECT_EQ(standing.lines("mknod").size(), 8u);
}

TEST_F(Rootfs, FinalizeMakesReadOnlyTmpfsThenMasksThenReadonlyPathsThenRoot) {
  spec_.mounts = {mount("/run", "tmpfs", "tmpfs", {"ro", "nosuid"})};
  spec_.linux_->maskedPaths = {"/proc/kcore"};
  spec_.linux_->readonlyPaths = {"/proc/sys"};
  spec_.linux_->rootfsPropagation = "rshared";
  spec_.root.emplace();
  spec_.root->readonly = true;
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { finalize(ctx_); }), "");
  std::vector<std::string> mounts = rec.lines("mount");
  ASSERT_EQ(mounts.size(), 6u) << ::testing::PrintToString(mounts);
  EXPECT_EQ(mounts[0], "mount - on /run type - flags ro|nosuid|remount|bind data -");
  // The fake descriptors are /dev/null: the masked file is covered by the null device.
  EXPECT_EQ(mounts[1], "mount /dev/null on /proc/kcore type - flags bind data -");
  EXPECT_EQ(mounts[2], "mount /proc/sys on /proc/sys type - flags bind|rec data -");
  EXPECT_THAT(mounts[3], ::testing::StartsWith("mount - on /proc/sys type - flags ro|"));
  EXPECT_THAT(mounts[3], HasSubstr("remount|bind data -"));
  EXPECT_EQ(mounts[4], "mount - on / type - flags ro|remount|bind data -");
  EXPECT_EQ(mounts[5], "mount - on / type - flags rec|shared data -");
}

TEST_F(Rootfs, EachFailedFinalizeMountNamesItsConfigEntry) {
  spec_.mounts = {mount("/run", "tmpfs", "tmpfs", {"ro"})};
  spec_.linux_->maskedPaths = {"/proc/kcore", "/proc/keys"};
  spec_.linux_->readonlyPaths = {"/proc/sys"};
  spec_.linux_->rootfsPropagation = "rslave";
  spec_.root.emplace();
  spec_.root->readonly = true;
  const std::vector<std::string> says = {
      "config.json: /mounts/0 (/run): remounting",
      "config.json: /linux/maskedPaths/0: masking /proc/kcore",
      "config.json: /linux/maskedPaths/1: masking /proc/keys",
      "config.json: /linux/readonlyPaths/0: making /proc/sys read-only",
      "config.json: /linux/readonlyPaths/0: remounting",
      "config.json: /root/readonly: remounting /",
      "config.json: /linux/rootfsPropagation"};
  test::Recorder all;
  ASSERT_EQ(run(all, [&] { finalize(ctx_); }), "");
  ASSERT_EQ(all.lines("mount").size(), says.size());
  for (size_t n = 1; n <= says.size(); ++n) {
    test::Recorder rec("mount:" + std::to_string(n) + ":EROFS");
    std::string err = run(rec, [&] { finalize(ctx_); });
    EXPECT_THAT(err, HasSubstr(says[n - 1])) << n;
    EXPECT_THAT(err, HasSubstr("Read-only file system")) << n;
    EXPECT_EQ(rec.lines("mount").size(), n) << n;
  }
}

TEST_F(Rootfs, RemountRefusedForLockedFlagsIsRetriedKeepingThem) {
  spec_.root.emplace();
  spec_.root->readonly = true;
  test::Recorder rec("mount:1:EPERM");
  EXPECT_EQ(run(rec, [&] { finalize(ctx_); }), "");
  std::vector<std::string> mounts = rec.lines("mount");
  ASSERT_EQ(mounts.size(), 2u);
  EXPECT_EQ(mounts[0], "mount - on / type - flags ro|remount|bind data - [failed]");
  // The retry asks for what "/" has now on top (at least its ro bit, which this asks for).
  EXPECT_THAT(mounts[1], ::testing::StartsWith("mount - on / type - flags ro|"));
  EXPECT_THAT(mounts[1], ::testing::EndsWith("remount|bind data -"));
}

TEST_F(Rootfs, CwdIsCreatedInsideTheRootfsOnly) {
  test::Recorder rec;
  EXPECT_EQ(run(rec, [&] { create_cwd(ctx_, "/work/dir"); }), "");
  EXPECT_THAT(rec.log(), ElementsAre("open " + ctx_.rootfs, "open /work/dir"));
  test::Recorder failed("open:1:ENOENT");
  EXPECT_THAT(run(failed, [&] { create_cwd(ctx_, "/work"); }),
              HasSubstr("opening rootfs " + ctx_.rootfs + ": No such file or directory"));
}

}  // namespace
}  // namespace hull::rootfs
