#include "cgroups/rootless.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups/v2.hpp"
#include "hull/error.hpp"
#include "support/error_of.hpp"
#include "temp_tree.hpp"

namespace hull::cgroups {
namespace {

std::string error_of(Manager& m, const spec::LinuxResources& r, bool update) {
  return hull::test::error_of([&] { m.apply(r, "config.json: /linux/resources", update); });
}

}  // namespace

TEST(Rootless, DefaultPathIsASiblingOfTheCallersCgroupOnV2) {
  EXPECT_EQ(rootless_default_path("c1", Layout::kV2, "/user-1000/session"), "/user-1000/c1");
  EXPECT_EQ(rootless_default_path("c1", Layout::kV2, "/a/b/c"), "/a/b/c1");
  EXPECT_EQ(rootless_default_path("c1", Layout::kV2, "/session"), "/c1");
  EXPECT_EQ(rootless_default_path("c1", Layout::kV2, "/"), "/c1");
  // v1: relative, below the caller's cgroup in each hierarchy (open_manager resolves it)
  EXPECT_EQ(rootless_default_path("c1", Layout::kV1, "/x"), "c1");
}

TEST(Rootless, FirstLimitNamesTheFieldAndIgnoresDevices) {
  spec::LinuxResources r;
  EXPECT_EQ(first_limit(r), "");
  r.devices.push_back({});
  EXPECT_EQ(first_limit(r), "");
  r.memory = spec::LinuxMemory{};
  r.memory->limit = 0;  // zero is no limit, as runc reads it
  EXPECT_EQ(first_limit(r), "");
  r.pids = spec::LinuxPids{50};
  EXPECT_EQ(first_limit(r), "pids/limit");
  r.memory->limit = 1 << 20;
  EXPECT_EQ(first_limit(r), "memory/limit");
  spec::LinuxResources c;
  c.cpu = spec::LinuxCPU{};
  c.cpu->cpus = "0";
  EXPECT_EQ(first_limit(c), "cpu/cpus");
  spec::LinuxResources u;
  u.unified["memory.high"] = "1M";
  EXPECT_EQ(first_limit(u), "unified/memory.high");
}

TEST(Rootless, WithoutACgroupALimitFailsNamingItAndDevicesPass) {
  auto m = no_writable_cgroup("/sys/fs/cgroup/cpu is not writable by uid 1000");
  spec::LinuxResources r;
  r.devices.push_back({});
  EXPECT_EQ(error_of(*m, r, false), "");
  r.memory = spec::LinuxMemory{};
  r.memory->limit = 1 << 20;
  std::string e = error_of(*m, r, false);
  EXPECT_NE(e.find("config.json: /linux/resources/memory/limit: "), std::string::npos) << e;
  EXPECT_NE(e.find("/sys/fs/cgroup/cpu is not writable by uid 1000"), std::string::npos) << e;
  // update, ps and pause say there is no cgroup
  EXPECT_NE(error_of(*m, r, true).find("has no cgroup"), std::string::npos);
  EXPECT_THROW(m->pids(), Error);
  EXPECT_THROW(m->freeze(true), Error);
  EXPECT_TRUE(m->hierarchies().empty());
  EXPECT_TRUE(m->path().empty());
  // the container's cgroup mount shows the caller's cgroups; the record keeps none
  auto v =
      no_writable_cgroup("x", {{"memory", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/memory/u"}});
  ASSERT_EQ(v->mount_view().size(), 1u);
  EXPECT_EQ(v->mount_view().front().dir, "/sys/fs/cgroup/memory/u");
  EXPECT_TRUE(v->hierarchies().empty());
}

TEST(Rootless, CgroupManagerDisabledStillIgnoresLimits) {
  auto m = no_cgroup();
  spec::LinuxResources r;
  r.memory = spec::LinuxMemory{};
  r.memory->limit = 1 << 20;
  EXPECT_EQ(error_of(*m, r, false), "");
  EXPECT_NE(error_of(*m, r, true).find("--cgroup-manager disabled"), std::string::npos);
}

// Which directory a user cannot write: needs root to hand a fake tree to another uid.
TEST(Rootless, UnwritableDirIsTheFirstDirTheCallerCannotWrite) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to switch to another uid";
  test::TempTree t;
  t.file("mine/cgroup.procs");
  t.file("theirs/cgroup.procs");
  const uid_t user = 65534;
  ASSERT_EQ(::chmod(t.root().c_str(), 0755), 0);
  ASSERT_EQ(::chown((t.root() + "/mine").c_str(), user, user), 0);
  ASSERT_EQ(::chown((t.root() + "/mine/cgroup.procs").c_str(), user, user), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (::setresgid(user, user, user) != 0 || ::setresuid(user, user, user) != 0) ::_exit(10);
    // a new cgroup in a dir the user owns; joining the dir itself
    if (!unwritable_dir(V2Manager(t.root(), "/mine/c1")).empty()) ::_exit(11);
    if (!unwritable_dir(V2Manager(t.root(), "/mine")).empty()) ::_exit(12);
    // root's dir, a new cgroup in it, one two levels below the user's missing dir
    if (unwritable_dir(V2Manager(t.root(), "/theirs")) != t.root() + "/theirs") ::_exit(13);
    if (unwritable_dir(V2Manager(t.root(), "/theirs/c1")) != t.root() + "/theirs") ::_exit(14);
    if (unwritable_dir(V2Manager(t.root(), "/c1")) != t.root()) ::_exit(15);
    if (!unwritable_dir(V2Manager(t.root(), "/mine/x/y")).empty()) ::_exit(16);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "failed check " << WEXITSTATUS(status);
}

}  // namespace hull::cgroups

namespace hull::cgroups {

// A rootless caller's delegated cgroup takes the limits but no device program (the caller
// could not load one): on a fake tree, which cannot take one either, create-time apply passes.
TEST(Rootless, DelegatedCgroupTakesLimitsWithoutDeviceRules) {
  test::TempTree t;
  t.file("cgroup.controllers", "memory pids\n");
  t.file("cgroup.subtree_control");
  t.file("user/cgroup.controllers", "memory pids\n");
  t.file("user/cgroup.subtree_control");
  t.file("user/c1/memory.max");
  t.file("user/c1/pids.max");
  V2Manager m(t.root(), "/user/c1");
  spec::LinuxResources r;
  r.memory = spec::LinuxMemory{};
  r.memory->limit = 64 << 20;
  r.pids = spec::LinuxPids{20};
  EXPECT_THROW(m.apply(r, "config.json: /linux/resources", false), Error);  // the device program
  m.set_device_rules(false);
  m.apply(r, "config.json: /linux/resources", false);
  EXPECT_EQ(t.read("user/c1/memory.max"), "67108864");
  EXPECT_EQ(t.read("user/c1/pids.max"), "20");
}

}  // namespace hull::cgroups
