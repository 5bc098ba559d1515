// LSM labels: a warning naming the field, and nothing to write, when the LSM they need is
// not enabled (runc and crun ignore such labels); nothing to write when they are empty.
#include "security/lsm.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "hull/error.hpp"

namespace hull::security {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// What check_lsm writes to stderr (hull::warn), captured through a pipe.
std::string warnings_of(const spec::Spec& s) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) return "pipe failed";
  int saved = ::dup(2);
  ::dup2(p[1], 2);
  ::close(p[1]);
  std::string thrown;
  try {
    check_lsm(s, *s.process, "config.json: /process");
  } catch (const Error& e) {
    thrown = "threw: " + e.message();
  }
  ::dup2(saved, 2);
  ::close(saved);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = ::read(p[0], buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(p[0]);
  return thrown + out;
}

TEST(Lsm, EmptyLabelsNeedNothing) {
  spec::Spec s;
  s.process.emplace();
  s.linux_.emplace();
  EXPECT_EQ(warnings_of(s), "");
  EXPECT_TRUE(exec_label_writes(*s.process, "p").empty());
}

TEST(Lsm, AppArmorProfileWithoutAppArmorIsIgnoredWithAWarning) {
  if (apparmor_enabled()) GTEST_SKIP() << "AppArmor is enabled here";
  spec::Spec s;
  s.process.emplace();
  s.process->apparmorProfile = "docker-default";
  std::string w = warnings_of(s);
  EXPECT_THAT(w, HasSubstr("warning: config.json: /process/apparmorProfile"));
  EXPECT_THAT(w, HasSubstr("AppArmor is not enabled"));
  EXPECT_THAT(w, Not(HasSubstr("threw")));
  EXPECT_TRUE(exec_label_writes(*s.process, "p").empty());
}

TEST(Lsm, SelinuxLabelsWithoutSelinuxAreIgnoredWithAWarning) {
  if (selinux_enabled()) GTEST_SKIP() << "SELinux is enabled here";
  spec::Spec s;
  s.process.emplace();
  s.process->selinuxLabel = "system_u:system_r:container_t:s0";
  EXPECT_THAT(warnings_of(s), HasSubstr("warning: config.json: /process/selinuxLabel"));
  EXPECT_TRUE(exec_label_writes(*s.process, "p").empty());
  s.process->selinuxLabel.clear();
  s.linux_.emplace();
  s.linux_->mountLabel = "system_u:object_r:container_file_t:s0";
  std::string w = warnings_of(s);
  EXPECT_THAT(w, HasSubstr("warning: config.json: /linux/mountLabel"));
  EXPECT_THAT(w, HasSubstr("SELinux is not enabled"));
  EXPECT_THAT(w, Not(HasSubstr("threw")));
}

TEST(Lsm, ExecWritesNameTheAttrFiles) {
  if (!apparmor_enabled() || !selinux_enabled()) GTEST_SKIP() << "needs AppArmor and SELinux";
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
