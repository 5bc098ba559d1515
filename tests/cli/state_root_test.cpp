// runc's state-root and --rootless rules with hull's name, on given callers (no environment).
#include "cli/state_root.hpp"

#include <gtest/gtest.h>

#include "hull/error.hpp"

namespace {

using namespace hull::cli;

Caller caller(uid_t euid, bool in_userns, std::optional<std::string> xdg,
              std::optional<std::string> user = std::nullopt) {
  Caller c;
  c.euid = euid;
  c.in_userns = in_userns;
  c.xdg_runtime_dir = std::move(xdg);
  c.user = std::move(user);
  return c;
}

TEST(StateRoot, UserWithXdgRuntimeDirGetsItsHullDir) {
  StateRoot r = default_state_root(caller(1000, false, "/run/user/1000"));
  EXPECT_EQ(r.path, "/run/user/1000/hull");
  EXPECT_TRUE(r.xdg_used);
}

TEST(StateRoot, UserWithoutXdgRuntimeDirGetsTheSystemRoot) {
  StateRoot r = default_state_root(caller(1000, false, std::nullopt));
  EXPECT_EQ(r.path, "/run/hull");
  EXPECT_FALSE(r.xdg_used);
}

TEST(StateRoot, HostRootIgnoresXdgRuntimeDir) {
  EXPECT_EQ(default_state_root(caller(0, false, "/run/user/0")).path, "/run/hull");
}

TEST(StateRoot, RootInAUserNamespaceUsesItUnlessUserIsRoot) {
  EXPECT_EQ(default_state_root(caller(0, true, "/run/user/1000", "alice")).path,
            "/run/user/1000/hull");
  EXPECT_EQ(default_state_root(caller(0, true, "/run/user/1000")).path, "/run/user/1000/hull");
  EXPECT_EQ(default_state_root(caller(0, true, "/run/user/0", "root")).path, "/run/hull");
}

TEST(StateRoot, UnusableSystemRootForAUserNamesTheFix) {
  StateRoot r{"/proc/1/hull-state-root-test", false};
  try {
    check_state_root_usable(r, caller(1000, false, std::nullopt));
    // root passes the access check anyway; the message is checked where it fails
  } catch (const hull::Error& e) {
    std::string m = e.message();
    EXPECT_NE(m.find("state root /proc/1/hull-state-root-test"), std::string::npos) << m;
    EXPECT_NE(m.find("XDG_RUNTIME_DIR"), std::string::npos) << m;
    EXPECT_NE(m.find("--root"), std::string::npos) << m;
  }
  // root and the XDG root are never refused here
  EXPECT_NO_THROW(check_state_root_usable(r, caller(0, false, std::nullopt)));
  EXPECT_NO_THROW(check_state_root_usable({"/nonexistent/x", true}, caller(1000, false, "/x")));
}

TEST(Rootless, ExplicitValuesWin) {
  for (const char* t : {"true", "1", "t", "T", "TRUE", "True"})
    EXPECT_TRUE(rootless_of(t, caller(0, false, std::nullopt), false)) << t;
  for (const char* f : {"false", "0", "f", "F", "FALSE", "False"})
    EXPECT_FALSE(rootless_of(f, caller(1000, false, std::nullopt), false)) << f;
}

TEST(Rootless, AutoFollowsTheCaller) {
  EXPECT_TRUE(rootless_of("auto", caller(1000, false, std::nullopt), false));
  EXPECT_TRUE(rootless_of("", caller(1000, false, std::nullopt), true));
  EXPECT_FALSE(rootless_of("auto", caller(0, false, std::nullopt), false));
  EXPECT_TRUE(rootless_of("auto", caller(0, true, std::nullopt), false));
  EXPECT_FALSE(rootless_of("auto", caller(0, true, std::nullopt), true));
}

TEST(Rootless, OtherValuesNameTheFlag) {
  try {
    rootless_of("maybe", caller(0, false, std::nullopt), false);
    FAIL() << "no error";
  } catch (const hull::Error& e) {
    EXPECT_EQ(e.message(), "--rootless: expected true, false or auto, got \"maybe\"");
  }
}

}  // namespace
