#include "container/namespaces.hpp"

#include <gtest/gtest.h>
#include <sched.h>

#include "hull/error.hpp"

namespace {

hull::spec::Spec with_namespaces(std::vector<hull::spec::LinuxNamespace> ns) {
  hull::spec::Spec s;
  s.linux_.emplace();
  s.linux_->namespaces = std::move(ns);
  return s;
}

TEST(Namespaces, NewOnesBecomeCloneFlags) {
  auto plan = hull::container::plan_namespaces(
      with_namespaces({{"pid", ""}, {"network", ""}, {"mount", ""}, {"user", ""}}));
  EXPECT_EQ(plan.new_flags,
            static_cast<unsigned long>(CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWNS | CLONE_NEWUSER));
  EXPECT_FALSE(plan.joins_any());
}

TEST(Namespaces, PathsAreJoinedUserFirst) {
  auto plan = hull::container::plan_namespaces(
      with_namespaces({{"network", "/run/netns/a"}, {"user", "/proc/1/ns/user"}, {"uts", ""}}));
  ASSERT_EQ(plan.joins.size(), 2u);
  EXPECT_EQ(plan.joins[0].flag, CLONE_NEWUSER);
  EXPECT_EQ(plan.joins[1].path, "/run/netns/a");
  EXPECT_TRUE(plan.has(CLONE_NEWNET));
  EXPECT_TRUE(plan.has(CLONE_NEWUTS));
  EXPECT_FALSE(plan.has(CLONE_NEWPID));
}

TEST(Namespaces, PathsAreJoinedInTheTablesOrderWhateverTheConfigOrder) {
  auto plan = hull::container::plan_namespaces(with_namespaces({{"mount", "/proc/1/ns/mnt"},
                                                                {"network", "/run/netns/a"},
                                                                {"user", "/proc/1/ns/user"},
                                                                {"ipc", "/proc/1/ns/ipc"}}));
  ASSERT_EQ(plan.joins.size(), 4u);
  EXPECT_EQ(plan.joins[0].flag, CLONE_NEWUSER);
  EXPECT_EQ(plan.joins[1].flag, CLONE_NEWIPC);
  EXPECT_EQ(plan.joins[2].flag, CLONE_NEWNET);
  EXPECT_EQ(plan.joins[3].flag, CLONE_NEWNS);
  EXPECT_EQ(plan.joins[3].path, "/proc/1/ns/mnt");
}

TEST(Namespaces, UnknownTypeNamesThePointer) {
  try {
    hull::container::plan_namespaces(with_namespaces({{"pid", ""}, {"bogus", ""}}));
    FAIL();
  } catch (const hull::Error& e) {
    EXPECT_EQ(e.message(),
              "config.json: /linux/namespaces/1/type: unknown namespace type \"bogus\"");
  }
}

}  // namespace
