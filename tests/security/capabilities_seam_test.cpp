// Capabilities through the seam, without changing this test's own: libcap's cap_set_proc and
// the bounding and ambient prctls, each failed in turn.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/capability.h>

#include <string>

#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"
#include "security/capabilities.hpp"
#include "support/faults.hpp"

namespace hull::security {
namespace {

using linux_::Sys;
using ::testing::HasSubstr;

using test::faults;
using test::run;

CapSets sets() {
  CapSets s;
  s.bounding = {CAP_CHOWN, CAP_KILL};
  s.effective = s.permitted = s.inheritable = {CAP_CHOWN};
  s.ambient = {CAP_CHOWN, CAP_KILL};
  return s;
}

TEST(CapabilitiesSeam, SetsTheProcessThenClearsAndRaisesAmbient) {
  auto k = faults();
  EXPECT_EQ(run(k, [] { apply_capabilities(sets()); }), "");
  EXPECT_EQ(k.count(Sys::caps), 1u);
  EXPECT_EQ(k.count(Sys::prctl), 3u);  // clear all, raise two
}

TEST(CapabilitiesSeam, EachFailureIsNamedAndARefusedAmbientRaiseIsForgiven) {
  auto caps = faults("caps:1:EPERM");
  EXPECT_THAT(run(caps, [] { apply_capabilities(sets()); }),
              HasSubstr("config.json: /process/capabilities: setting capabilities: Operation "
                        "not permitted"));
  EXPECT_EQ(caps.count(Sys::prctl), 0u);
  auto clear = faults("prctl:1:EINVAL");
  EXPECT_THAT(run(clear, [] { apply_capabilities(sets()); }),
              HasSubstr("/process/capabilities/ambient: clearing the ambient set"));
  // CAP_KILL is not permitted and inheritable: the kernel's EPERM, as runc, is no failure.
  auto refused = faults("prctl:3:EPERM");
  EXPECT_EQ(run(refused, [] { apply_capabilities(sets()); }), "");
  EXPECT_EQ(refused.count(Sys::prctl), 3u);
  auto raise = faults("prctl:2:EINVAL");
  EXPECT_THAT(run(raise, [] { apply_capabilities(sets()); }),
              HasSubstr("/process/capabilities/ambient: raising capability " +
                        std::to_string(CAP_CHOWN) + ": Invalid argument"));
}

TEST(CapabilitiesSeam, BoundingDropsEveryOtherCapability) {
  auto k = faults();
  EXPECT_EQ(run(k, [] { apply_bounding(sets()); }), "");
  EXPECT_EQ(k.count(Sys::prctl), cap_max_bits() - 2);
  // An unknown capability to this kernel (EINVAL) is skipped; any other failure is named.
  auto unknown = faults("prctl:*:EINVAL");
  EXPECT_EQ(run(unknown, [] { apply_bounding(sets()); }), "");
  auto denied = faults("prctl:1:EPERM");
  EXPECT_THAT(run(denied, [] { apply_bounding(sets()); }),
              HasSubstr("dropping capability 1 from the bounding set: Operation not permitted"));
}

TEST(CapabilitiesSeam, KeepCapsAndNoNewPrivilegesNameThemselves) {
  auto keep = faults("prctl:1");
  EXPECT_THAT(run(keep, [] { set_keep_caps(true); }), HasSubstr("PR_SET_KEEPCAPS"));
  auto nnp = faults("prctl:1");
  EXPECT_THAT(run(nnp, [] { set_no_new_privileges(); }),
              HasSubstr("config.json: /process/noNewPrivileges"));
}

}  // namespace
}  // namespace hull::security
