#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "hull/error.hpp"
#include "process/credentials.hpp"
#include "support/error_of.hpp"

namespace fs = std::filesystem;

namespace {

class ExecutableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hull-exe-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    std::ofstream(dir_ + "/tool") << "#!/bin/sh\n";
    ::chmod((dir_ + "/tool").c_str(), 0755);
    std::ofstream(dir_ + "/data") << "x";
    ::chmod((dir_ + "/data").c_str(), 0644);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string message(const std::string& name) {
    return hull::test::error_of([&] { hull::process::find_executable(name, {"PATH=" + dir_}); });
  }
  std::string dir_;
};

TEST_F(ExecutableTest, FoundThroughThePathOfTheProcessEnv) {
  EXPECT_EQ(hull::process::find_executable("tool", {"PATH=/nonexistent:" + dir_}), dir_ + "/tool");
}

TEST_F(ExecutableTest, MissingCommandUsesTheWordingEnginesMapTo127) {
  EXPECT_EQ(message("nope"),
            "exec: \"nope\": executable file not found in $PATH: no such file or directory");
  EXPECT_EQ(message("/no/such/file"), "exec: \"/no/such/file\": no such file or directory");
}

TEST_F(ExecutableTest, NotExecutableIsPermissionDenied) {
  if (::geteuid() == 0) GTEST_SKIP() << "root may execute anything with an x bit; data has none";
  EXPECT_NE(message(dir_ + "/data").find("permission denied"), std::string::npos);
}

TEST_F(ExecutableTest, ADirectoryIsNotAProgram) {
  EXPECT_NE(message(dir_).find("permission denied"), std::string::npos);
}

}  // namespace
