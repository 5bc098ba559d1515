// list's table, json and ids, and spec's default config.json.
#include "container/list.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "hull/error.hpp"
#include "linux/files.hpp"

namespace {

using namespace hull::container;

ListEntry entry(std::string id, pid_t pid, std::string status, std::string owner = "") {
  ListEntry e;
  e.record.id = std::move(id);
  e.record.pid = pid;
  e.record.bundle = "/b/" + e.record.id;
  e.record.created = "2026-01-01T00:00:00Z";
  e.record.owner = std::move(owner);
  e.status = std::move(status);
  return e;
}

TEST(ListTable, ColumnsFourBlanksApartStoppedPidZeroOwnerRoot) {
  std::vector<ListEntry> entries = {entry("web", 4242, "running"),
                                    entry("a-longer-id", 17, "stopped", "alice")};
  EXPECT_EQ(list_table(entries),
            "ID             PID     STATUS     BUNDLE            CREATED                 OWNER\n"
            "web            4242    running    /b/web            2026-01-01T00:00:00Z    root\n"
            "a-longer-id    0       stopped    /b/a-longer-id    2026-01-01T00:00:00Z    alice\n");
  EXPECT_EQ(list_table({}), "ID    PID    STATUS    BUNDLE    CREATED    OWNER\n");
}

TEST(ListJson, AnArrayOfStates) {
  EXPECT_EQ(list_json({}), "[]\n");
  std::string out = list_json({entry("a", 1, "running"), entry("b", 2, "paused")});
  EXPECT_EQ(out.front(), '[');
  EXPECT_EQ(out.substr(out.size() - 2), "]\n");
  EXPECT_NE(out.find("\"id\":\"a\""), std::string::npos) << out;
  EXPECT_NE(out.find("\"status\":\"paused\""), std::string::npos) << out;
}

TEST(ListIds, OneALine) {
  EXPECT_EQ(list_ids({}), "");
  EXPECT_EQ(list_ids({entry("a", 1, "running"), entry("b", 2, "stopped")}), "a\nb\n");
}

TEST(DefaultSpec, WritesOnceAndRefusesToOverwrite) {
  char tmpl[] = "/tmp/hull-spec-test-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  write_default_spec(dir, false);
  std::string first = hull::linux_::read_file(dir + "/config.json");
  EXPECT_NE(first.find("\"ociVersion\""), std::string::npos);
  try {
    write_default_spec(dir, true);
    ADD_FAILURE() << "an existing config.json was overwritten";
  } catch (const hull::Error& e) {
    EXPECT_EQ(e.message(), dir + "/config.json exists: remove it first");
  }
  EXPECT_EQ(hull::linux_::read_file(dir + "/config.json"), first);
  std::filesystem::remove_all(dir);
}

}  // namespace
