// `hull features` lists the tables the runtime works from: namespace types and libcap's
// capability names.
#include "container/features.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <string>
#include <vector>

#include "linux/capability_names.hpp"
#include "spec/namespaces.hpp"

namespace hull::container {
namespace {

std::vector<std::string> strings_at(const rapidjson::Value& v) {
  std::vector<std::string> out;
  for (const auto& s : v.GetArray()) out.emplace_back(s.GetString());
  return out;
}

TEST(Features, NamespacesAreTheTableSorted) {
  rapidjson::Document doc;
  doc.Parse(features_json().c_str());
  ASSERT_FALSE(doc.HasParseError());
  std::vector<std::string> table;
  for (const auto& t : spec::namespace_types()) table.emplace_back(t.name);
  std::sort(table.begin(), table.end());
  EXPECT_EQ(strings_at(doc["linux"]["namespaces"]), table);
}

TEST(Features, CapabilitiesAreLibcapsNames) {
  rapidjson::Document doc;
  doc.Parse(features_json().c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_EQ(strings_at(doc["linux"]["capabilities"]), linux_::capability_names());
}

TEST(Features, CgroupDriversAreTheOnesHullHas) {
  rapidjson::Document doc;
  doc.Parse(features_json().c_str());
  ASSERT_FALSE(doc.HasParseError());
  const auto& cg = doc["linux"]["cgroup"];
  // v1 and v2 (cgroups/v1.cpp, v2.cpp), the system instance of systemd (cgroups/systemd.cpp);
  // no user instance, no rdma controller.
  std::vector<std::string> has;
  for (const auto& m : cg.GetObject()) {
    if (m.value.GetBool()) has.emplace_back(m.name.GetString());
  }
  EXPECT_EQ(has, (std::vector<std::string>{"v1", "v2", "systemd"}));
  EXPECT_FALSE(cg["systemdUser"].GetBool());
}

}  // namespace
}  // namespace hull::container
