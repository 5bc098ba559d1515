#include "cgroups/device_rules.hpp"

#include <gtest/gtest.h>

#include "hull/error.hpp"
#include "support/error_of.hpp"

namespace hull::cgroups {
namespace {

spec::LinuxDeviceCgroup rule(bool allow, std::string type, std::optional<int64_t> major,
                             std::optional<int64_t> minor, std::string access) {
  return {allow, std::move(type), major, minor, std::move(access)};
}

std::string error_of(const std::vector<spec::LinuxDeviceCgroup>& rules) {
  return hull::test::error_of(
      [&] { effective_device_rules(rules, "config.json: /linux/resources/devices"); });
}

}  // namespace

TEST(DeviceRules, DefaultsFollowTheConfigsRules) {
  auto rules = effective_device_rules({rule(false, "", {}, {}, "rwm")}, "x");
  ASSERT_EQ(rules.size(), 1 + default_device_rules().size());
  EXPECT_EQ(v1_rule_text(rules[0]), "a");
  EXPECT_FALSE(rules[0].allow);
  EXPECT_EQ(v1_rule_text(rules[1]), "c *:* m");
  EXPECT_EQ(v1_rule_text(rules[3]), "c 1:3 rwm");
  bool pts = false;
  for (const auto& r : rules) pts = pts || v1_rule_text(r) == "c 136:* rwm";
  EXPECT_TRUE(pts);
}

// The list device_rules.hpp documents (runc 1.1's defaults), every rule an allow.
TEST(DeviceRules, DefaultsAreTheDocumentedList) {
  std::vector<std::string> texts;
  for (const auto& r : default_device_rules()) {
    EXPECT_TRUE(r.allow) << v1_rule_text(r);
    texts.push_back(v1_rule_text(r));
  }
  EXPECT_EQ(texts, (std::vector<std::string>{"c *:* m", "b *:* m", "c 1:3 rwm", "c 1:8 rwm",
                                             "c 1:7 rwm", "c 5:0 rwm", "c 1:5 rwm", "c 1:9 rwm",
                                             "c 136:* rwm", "c 5:2 rwm", "c 10:200 rwm"}));
}

TEST(DeviceRules, RendersNumbersAndWildcards) {
  auto rules = effective_device_rules({rule(true, "b", 8, {}, "r")}, "x");
  EXPECT_EQ(v1_rule_text(rules[0]), "b 8:* r");
  rules = effective_device_rules({rule(true, "c", -1, 5, "")}, "x");
  EXPECT_EQ(v1_rule_text(rules[0]), "c *:5 rwm");
}

TEST(DeviceRules, UnknownTypeNamesTheField) {
  EXPECT_EQ(error_of({rule(true, "x", 1, 3, "rwm")}),
            "config.json: /linux/resources/devices/0/type: unknown device type \"x\" (expected a, "
            "b or c)");
}

TEST(DeviceRules, BadAccessNamesTheField) {
  EXPECT_EQ(error_of({rule(true, "c", 1, 3, "rwm"), rule(true, "c", 1, 5, "rx")}),
            "config.json: /linux/resources/devices/1/access: \"rx\" may only hold r, w and m");
}

TEST(DeviceRules, NegativeNumbersOtherThanWildcardAreRejected) {
  EXPECT_NE(error_of({rule(true, "c", -2, 3, "rwm")}).find("/devices/0/major"), std::string::npos);
  EXPECT_NE(error_of({rule(true, "c", 1, -7, "rwm")}).find("/devices/0/minor"), std::string::npos);
}

}  // namespace hull::cgroups
