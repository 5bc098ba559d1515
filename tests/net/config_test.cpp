#include "net/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "hull/error.hpp"
#include "netns.hpp"

using hull::net::parse_network;

namespace {

// The message of the error parse_network throws, or "" when it accepts the document.
std::string error_of(const std::string& json) {
  try {
    parse_network(json, "net.json", "dflt");
  } catch (const hull::Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(NetworkConfig, DefaultsFillEverythingButTheSubnet) {
  auto cfg = parse_network(R"({"subnet": "10.88.0.0/16"})", "x.json", "mynet");
  EXPECT_EQ(cfg.name, "mynet");
  EXPECT_EQ(cfg.bridge, "hull0");
  EXPECT_EQ(cfg.gateway.str(), "10.88.0.1");
  EXPECT_FALSE(cfg.subnet6);
  EXPECT_EQ(cfg.mtu, 1500u);
  EXPECT_TRUE(cfg.masquerade);
  EXPECT_TRUE(cfg.dns.empty());
}

TEST(NetworkConfig, ReadsEveryField) {
  auto cfg = parse_network(R"({"name": "n1", "bridge": "br-n1", "subnet": "10.1.0.0/24",
      "gateway": "10.1.0.254", "subnet6": "fd01::/64", "gateway6": "fd01::fe", "mtu": 1400,
      "masquerade": false, "dns": ["10.1.0.254", "fd01::fe"]})",
                           "x.json", "ignored");
  EXPECT_EQ(cfg.name, "n1");
  EXPECT_EQ(cfg.bridge, "br-n1");
  EXPECT_EQ(cfg.gateway.str(), "10.1.0.254");
  ASSERT_TRUE(cfg.subnet6);
  EXPECT_EQ(cfg.subnet6->str(), "fd01::/64");
  EXPECT_EQ(cfg.gateway6.str(), "fd01::fe");
  EXPECT_EQ(cfg.mtu, 1400u);
  EXPECT_FALSE(cfg.masquerade);
  EXPECT_EQ(cfg.dns.size(), 2u);
}

TEST(NetworkConfig, ErrorsNameTheFileAndField) {
  EXPECT_EQ(error_of(R"({})"), "net.json /subnet: is required");
  EXPECT_NE(error_of(R"({"subnet": "10.1.0.1/24"})").find("net.json /subnet: \"10.1.0.1/24\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "fd00::/64"})").find("/subnet: must be an IPv4"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "10.1.0.0/24", "gateway": "10.2.0.1"})").find("/gateway:"),
            std::string::npos);
  EXPECT_NE(
      error_of(R"({"subnet": "10.1.0.0/24", "bridge": "a-name-much-too-long"})").find("/bridge:"),
      std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "10.1.0.0/24", "mtu": 10})").find("/mtu:"), std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "10.1.0.0/24", "dns": ["x"]})").find("/dns:"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "10.1.0.0/24", "gateway6": "fd00::1"})").find("needs subnet6"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "10.1.0.0/24", "subent6": "fd00::/64"})")
                .find("/subent6: unknown field"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "10.1.0.0/31"})").find("too small"), std::string::npos);
  EXPECT_NE(error_of("{nope").find("net.json: invalid JSON at offset 1"), std::string::npos);
  EXPECT_NE(error_of(R"({"name": "../etc", "subnet": "10.1.0.0/24"})").find("/name:"),
            std::string::npos);
}

TEST(NetworkConfig, LoadNamesTheMissingFile) {
  try {
    hull::net::load_network("/nonexistent-dir", "web");
    FAIL() << "loaded a network that does not exist";
  } catch (const hull::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-dir/web.json does not exist"),
              std::string::npos);
  }
  EXPECT_THROW(hull::net::load_network("/etc", "../passwd"), hull::Error);
}

TEST(NetworkConfig, DefaultNetworkNeedsNoFileButAFileOverridesIt) {
  auto cfg = hull::net::load_network("/nonexistent-dir", "hull");
  EXPECT_EQ(cfg.bridge, "hull0");
  EXPECT_EQ(cfg.subnet.str(), "10.88.0.0/16");
  hull::net::testing::TempDir dir;
  std::ofstream(dir.path() + "/hull.json") << R"({"subnet": "10.3.0.0/24"})";
  EXPECT_EQ(hull::net::load_network(dir.path(), "hull").subnet.str(), "10.3.0.0/24");
}
