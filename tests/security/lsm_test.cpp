// LSM labels: an error naming the field when the LSM they need is not enabled; nothing to
// write when the labels are empty.
#include "security/lsm.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hull/error.hpp"

namespace hull::security {
namespace {

using ::testing::HasSubstr;

std::string error_of(const spec::Spec& s) {
  try {
    check_lsm(s, *s.process, "config.json: /process");
  } catch (const Error& e) {
    return e.message();
  }
  return "";
}

TEST(Lsm, EmptyLabelsNeedNothing) {
  spec::Spec s;
  s.process.emplace();
  s.linux_.emplace();
  EXPECT_EQ(error_of(s), "");
  EXPECT_TRUE(exec_label_writes(*s.process, "p").empty());
}

TEST(Lsm, AppArmorProfileWithoutAppArmor) {
  if (apparmor_enabled()) GTEST_SKIP() << "AppArmor is enabled here";
  spec::Spec s;
  s.process.emplace();
  s.process->apparmorProfile = "docker-default";
  EXPECT_THAT(error_of(s), HasSubstr("config.json: /process/apparmorProfile"));
}

TEST(Lsm, SelinuxLabelsWithoutSelinux) {
  if (selinux_enabled()) GTEST_SKIP() << "SELinux is enabled here";
  spec::Spec s;
  s.process.emplace();
  s.process->selinuxLabel = "system_u:system_r:container_t:s0";
  EXPECT_THAT(error_of(s), HasSubstr("config.json: /process/selinuxLabel"));
  s.process->selinuxLabel.clear();
  s.linux_.emplace();
  s.linux_->mountLabel = "system_u:object_r:container_file_t:s0";
  EXPECT_THAT(error_of(s), HasSubstr("config.json: /linux/mountLabel"));
}

TEST(Lsm, ExecWritesNameTheAttrFiles) {
  spec::Process p;
  p.apparmorProfile = "prof";
  p.selinuxLabel = "lbl";
  auto w = exec_label_writes(p, "config.json: /process");
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].content, "exec prof");
  EXPECT_THAT(w[0].rel, HasSubstr("thread-self/attr/"));
  EXPECT_EQ(w[1].rel, "thread-self/attr/exec");
  EXPECT_EQ(w[1].content, "lbl");
}

}  // namespace
}  // namespace hull::security
