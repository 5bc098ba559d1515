#include "state/record.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "hull/error.hpp"

namespace {

hull::state::Record sample() {
  hull::state::Record r;
  r.id = "c1";
  r.bundle = "/b";
  r.rootfs = "/b/rootfs";
  r.created = "2026-01-01T00:00:00.000000000Z";
  r.pid = 42;
  r.start_time = 123456789012ULL;
  r.cgroup_path = "/default/c1";
  r.annotations = {{"k", "v \"quoted\""}};
  return r;
}

TEST(Record, RoundTripsThroughItsJson) {
  auto r = sample();
  auto back = hull::state::from_json(hull::state::to_json(r), "state.json");
  EXPECT_EQ(back.id, r.id);
  EXPECT_EQ(back.bundle, r.bundle);
  EXPECT_EQ(back.rootfs, r.rootfs);
  EXPECT_EQ(back.pid, r.pid);
  EXPECT_EQ(back.start_time, r.start_time);
  EXPECT_EQ(back.cgroup_path, r.cgroup_path);
  EXPECT_EQ(back.annotations, r.annotations);
  EXPECT_TRUE(back.checked.empty());
  r.checked["config.json"] = "id:3:0123456789abcdef";
  EXPECT_EQ(hull::state::from_json(hull::state::to_json(r), "state.json").checked, r.checked);
}

TEST(Record, CreatingAndSharedCgroupMarksRoundTrip) {
  auto r = sample();
  EXPECT_EQ(hull::state::to_json(r).find("creating"), std::string::npos);
  r.creating = true;
  r.shared_cgroup = true;
  auto back = hull::state::from_json(hull::state::to_json(r), "state.json");
  EXPECT_TRUE(back.creating);
  EXPECT_TRUE(back.shared_cgroup);
  r.creating = false;
  EXPECT_FALSE(hull::state::from_json(hull::state::to_json(r), "state.json").creating);
}

TEST(Record, CorruptFileIsAnErrorNamingIt) {
  try {
    hull::state::from_json("{not json", "/run/hull/c1/state.json");
    FAIL() << "no error";
  } catch (const hull::Error& e) {
    EXPECT_EQ(e.message(),
              "/run/hull/c1/state.json: corrupt state file: invalid JSON at offset 1 (line 1, "
              "column 2): Missing a name for object member.");
  }
}

TEST(Record, OciStateHasTheRuntimeSpecFields) {
  auto text = hull::state::oci_state_json(sample(), "running", false);
  rapidjson::Document d;
  d.Parse(text.c_str());
  ASSERT_TRUE(d.IsObject());
  EXPECT_STREQ(d["ociVersion"].GetString(), "1.2.0");
  EXPECT_STREQ(d["id"].GetString(), "c1");
  EXPECT_STREQ(d["status"].GetString(), "running");
  EXPECT_EQ(d["pid"].GetInt(), 42);
  EXPECT_STREQ(d["bundle"].GetString(), "/b");
  EXPECT_STREQ(d["annotations"]["k"].GetString(), "v \"quoted\"");
}

TEST(Record, StoppedContainerReportsPidZero) {
  auto text = hull::state::oci_state_json(sample(), "stopped", true);
  rapidjson::Document d;
  d.Parse(text.c_str());
  EXPECT_EQ(d["pid"].GetInt(), 0);
}

}  // namespace
