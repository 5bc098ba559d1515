// The config a container was created from, as later commands load it from the state dir: the
// copy create checked is only parsed while its fingerprint matches; any change since (or a
// record without fingerprints) is checked in full again, so a damaged copy is an error naming
// the file, never a model built from unchecked JSON.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "container/create.hpp"
#include "hull/error.hpp"
#include "spec/defaults.hpp"
#include "spec/parse.hpp"
#include "state/fingerprint.hpp"
#include "state/store.hpp"
#include "support/error_of.hpp"

namespace fs = std::filesystem;

namespace hull::container {
namespace {

class SavedConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hull-saved-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override { fs::remove_all(root_); }

  // A container dir as create leaves it: config.json beside a record that names its print.
  void make(const std::string& config) {
    state::Store store(root_);
    auto dir = store.create("c", state::Record{}, {{"config.json", config}});
    state::Record r;
    r.id = "c";
    dir.save(r);
    dir.keep();
  }
  void overwrite(const std::string& text) {
    std::ofstream(root_ + "/c/config.json", std::ios::trunc) << text;
  }
  std::string error_of_load() {
    return hull::test::error_of([&] { load_saved_spec(state::Store(root_).view("c")); });
  }
  std::string root_;
};

// The default config with one piece of its text replaced ("sh" in args, or the cwd's "/").
std::string edited(const std::string& from, const std::string& to) {
  std::string text = spec::default_spec_json(false);
  auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}
std::string with_args(const std::string& args_json) {
  return edited("\"sh\"", args_json);
}

TEST_F(SavedConfig, TheIntactCopyGivesTheSameModelAsAFullParse) {
  std::string text = with_args("\"/bin/echo\", \"saved\"");
  make(text);
  auto dir = state::Store(root_).open("c");
  EXPECT_TRUE(dir.read_saved("config.json", 1 << 20).intact);
  spec::Spec fast = load_saved_spec(dir);
  spec::Spec full = spec::parse_config(text);
  ASSERT_TRUE(fast.process && fast.root && fast.linux_);
  EXPECT_EQ(fast.process->args, full.process->args);
  EXPECT_EQ(fast.process->env, full.process->env);
  EXPECT_EQ(fast.root->path, full.root->path);
  EXPECT_EQ(fast.mounts.size(), full.mounts.size());
  EXPECT_EQ(fast.linux_->namespaces.size(), full.linux_->namespaces.size());
  EXPECT_EQ(fast.linux_->maskedPaths, full.linux_->maskedPaths);
}

TEST_F(SavedConfig, AChangedCopyIsReadAgainAndCheckedInFull) {
  make(spec::default_spec_json(false));
  overwrite(with_args("\"/bin/changed\""));
  {
    auto dir = state::Store(root_).open("c");
    EXPECT_FALSE(dir.read_saved("config.json", 1 << 20).intact);
    EXPECT_EQ(load_saved_spec(dir).process->args, std::vector<std::string>{"/bin/changed"});
  }

  overwrite(edited("\"cwd\": \"/\"", "\"cwd\": 7"));
  std::string e = error_of_load();
  EXPECT_NE(e.find(root_ + "/c/config.json: /process/cwd"), std::string::npos) << e;
}

TEST_F(SavedConfig, ADamagedCopyIsAnErrorNamingIt) {
  std::string text = spec::default_spec_json(false);
  make(text);
  overwrite(text.substr(0, text.size() / 2));
  std::string e = error_of_load();
  EXPECT_EQ(e.rfind(root_ + "/c/config.json", 0), 0u) << e;
}

TEST_F(SavedConfig, ARecordWithoutFingerprintsIsCheckedInFull) {
  // As a hull that kept no fingerprint left it: the same bytes are not taken on trust.
  make(edited("\"cwd\": \"/\"", "\"cwd\": \"relative\""));
  {
    state::Store store(root_);
    auto dir = store.open("c");
    state::Record r = dir.load();
    ASSERT_EQ(r.checked.count("config.json"), 1u);
    r.checked.clear();
    dir.save(r);
  }
  EXPECT_FALSE(state::Store(root_).view("c").read_saved("config.json", 1 << 20).intact);
  std::string e = error_of_load();
  EXPECT_NE(e.find(root_ + "/c/config.json: /process/cwd"), std::string::npos) << e;
}

// The fingerprint hulls before SHA-256 wrote: "<build id>:<size>:<16 hex digits of FNV-1a>".
std::string old_fingerprint(const std::string& content) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : content) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  char hash[17];
  std::snprintf(hash, sizeof(hash), "%016llx", static_cast<unsigned long long>(h));
  return state::build_id() + ":" + std::to_string(content.size()) + ":" + hash;
}

TEST_F(SavedConfig, AnOldFormatFingerprintIsCheckedInFull) {
  for (bool valid : {true, false}) {
    SCOPED_TRACE(valid);
    std::string text = valid ? with_args("\"/bin/echo\", \"old\"")
                             : edited("\"cwd\": \"/\"", "\"cwd\": \"relative\"");
    make(text);
    {
      auto dir = state::Store(root_).open("c");
      state::Record r = dir.load();
      ASSERT_EQ(r.checked.count("config.json"), 1u);
      EXPECT_NE(r.checked["config.json"].find(":sha256:"), std::string::npos);
      r.checked["config.json"] = old_fingerprint(text);
      dir.save(r);
    }
    EXPECT_FALSE(state::Store(root_).view("c").read_saved("config.json", 1 << 20).intact);
    if (valid) {
      spec::Spec s = load_saved_spec(state::Store(root_).view("c"));
      ASSERT_TRUE(s.process);
      EXPECT_EQ(s.process->args, (std::vector<std::string>{"/bin/echo", "old"}));
    } else {
      std::string e = error_of_load();
      EXPECT_NE(e.find(root_ + "/c/config.json: /process/cwd"), std::string::npos) << e;
    }
    fs::remove_all(root_ + "/c");
  }
}

TEST_F(SavedConfig, ATamperedCopyOfTheSameSizeIsCheckedInFull) {
  std::string text = spec::default_spec_json(false);
  make(text);
  // One byte changed, the size kept: "/" becomes "x", a relative cwd the full check refuses.
  std::string tampered = edited("\"cwd\": \"/\"", "\"cwd\": \"x\"");
  ASSERT_EQ(tampered.size(), text.size());
  overwrite(tampered);
  EXPECT_FALSE(state::Store(root_).view("c").read_saved("config.json", 1 << 20).intact);
  std::string e = error_of_load();
  EXPECT_NE(e.find(root_ + "/c/config.json: /process/cwd"), std::string::npos) << e;
}

}  // namespace
}  // namespace hull::container
