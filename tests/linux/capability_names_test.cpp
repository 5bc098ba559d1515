// Capability names are libcap's, and libcap knows every capability the running kernel has.
#include "linux/capability_names.hpp"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/capability.h>

#include <cctype>
#include <fstream>

namespace hull::linux_ {
namespace {

TEST(CapabilityNames, EveryLibcapNameRoundTrips) {
  const auto& names = capability_names();
  ASSERT_FALSE(names.empty());
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string& name = names[i];
    EXPECT_EQ(capability_number(name), static_cast<int>(i)) << name;
    EXPECT_EQ(capability_name(static_cast<int>(i)), name);
    // libcap's own parser reads the spec's spelling back to the same number.
    cap_value_t v = -1;
    EXPECT_EQ(cap_from_name(name.c_str(), &v), 0) << name;
    EXPECT_EQ(v, static_cast<cap_value_t>(i)) << name;
  }
}

TEST(CapabilityNames, SpecSpellingOfTheHeaders) {
  EXPECT_EQ(capability_number("CAP_CHOWN"), CAP_CHOWN);
  EXPECT_EQ(capability_number("CAP_SYS_ADMIN"), CAP_SYS_ADMIN);
  EXPECT_EQ(capability_number("CAP_CHECKPOINT_RESTORE"), CAP_CHECKPOINT_RESTORE);
  EXPECT_EQ(capability_name(CAP_NET_BIND_SERVICE), "CAP_NET_BIND_SERVICE");
  // Every capability the build's headers know has a libcap name.
  EXPECT_GE(capability_names().size(), static_cast<size_t>(CAP_LAST_CAP + 1));
}

// What cap_from_name would take but the spec does not write: refused, as before libcap.
TEST(CapabilityNames, OnlyTheSpecsSpelling) {
  for (const char* bad :
       {"cap_sys_admin", "Cap_Sys_Admin", "SYS_ADMIN", "21", "CAP_SYS_ADMIN ", " CAP_SYS_ADMIN",
        "CAP_", "", "ALL", "CAP_FLY", "CAP_SYS_ADMIN,CAP_KILL"}) {
    EXPECT_FALSE(capability_number(bad)) << '"' << bad << '"';
  }
}

TEST(CapabilityNames, NumberWithoutAName) {
  EXPECT_EQ(capability_name(63), "63");
}

// libcap's view of the kernel is /proc/sys/kernel/cap_last_cap, and it names each of them.
TEST(CapabilityNames, LastCapabilityIsTheKernels) {
  std::ifstream in("/proc/sys/kernel/cap_last_cap");
  int last = -1;
  ASSERT_TRUE(in >> last);
  EXPECT_EQ(last_capability(), last);
  EXPECT_LT(static_cast<size_t>(last), capability_names().size())
      << "the kernel has capabilities libcap cannot name: update libcap";
}

}  // namespace
}  // namespace hull::linux_
