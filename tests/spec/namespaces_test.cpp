// The namespace table against the kernel it runs on and the schema it is checked with.
#include "spec/namespaces.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/nsfs.h>
#include <rapidjson/document.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cstring>
#include <set>
#include <string>

#include "hull/error.hpp"
#include "linux/fd.hpp"

namespace hull::schema {
extern const std::string_view config_schema;
}

namespace hull::spec {
namespace {

TEST(NamespaceTable, NamesFlagsAndProcNamesAreUnique) {
  std::set<std::string_view> names, proc_names;
  int flags = 0;
  for (const auto& t : namespace_types()) {
    EXPECT_TRUE(names.insert(t.name).second) << t.name;
    EXPECT_TRUE(proc_names.insert(t.proc_name).second) << t.proc_name;
    EXPECT_EQ(flags & t.clone_flag, 0) << t.name;
    flags |= t.clone_flag;
  }
  EXPECT_EQ(namespace_types().size(), 8u);
}

// Each /proc/self/ns entry the table names exists on this kernel, and nsfs says it is a
// namespace of the table's CLONE_NEW* type.
TEST(NamespaceTable, EveryEntryIsThatTypeOfNamespaceOnThisKernel) {
  for (const auto& t : namespace_types()) {
    std::string path = "/proc/self/ns/" + std::string(t.proc_name);
    linux_::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd) << path << ": " << std::strerror(errno);
    EXPECT_EQ(::ioctl(fd.get(), NS_GET_NSTYPE), t.clone_flag) << path;
  }
}

// The embedded schema's enum of linux.namespaces[].type is the table's names.
TEST(NamespaceTable, SchemaEnumIsTheTable) {
  rapidjson::Document schema;
  schema.Parse(schema::config_schema.data(), schema::config_schema.size());
  ASSERT_FALSE(schema.HasParseError());
  const auto& type = schema["definitions"]["Namespace"]["properties"]["type"];
  ASSERT_TRUE(type.HasMember("enum"));
  std::set<std::string> in_schema, in_table;
  for (const auto& v : type["enum"].GetArray()) in_schema.insert(v.GetString());
  for (const auto& t : namespace_types()) in_table.insert(std::string(t.name));
  EXPECT_EQ(in_schema, in_table);
}

TEST(NamespaceTable, LookupsRoundTrip) {
  for (const auto& t : namespace_types()) {
    EXPECT_EQ(namespace_named(t.name), &t);
    EXPECT_EQ(namespace_of_flag(t.clone_flag), &t);
    EXPECT_EQ(namespace_name(t.clone_flag), t.name);
  }
  EXPECT_EQ(namespace_named("net"), nullptr);  // the /proc name, not the config's
  EXPECT_EQ(namespace_named("Network"), nullptr);
  EXPECT_EQ(namespace_of_flag(CLONE_VM), nullptr);
  EXPECT_THROW(namespace_name(CLONE_VM), Error);
}

// Joining order: the user namespace first (it gives the rights to join the rest), the mount
// namespace after the types whose paths it could hide.
TEST(NamespaceTable, UserFirstMountAfterNetworkAndIpc) {
  auto types = namespace_types();
  auto rank = [&](int flag) { return namespace_of_flag(flag) - types.data(); };
  EXPECT_EQ(rank(CLONE_NEWUSER), 0);
  EXPECT_LT(rank(CLONE_NEWNET), rank(CLONE_NEWNS));
  EXPECT_LT(rank(CLONE_NEWIPC), rank(CLONE_NEWNS));
  EXPECT_LT(rank(CLONE_NEWUTS), rank(CLONE_NEWNS));
}

}  // namespace
}  // namespace hull::spec
