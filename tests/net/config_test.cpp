#include "net/config.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "hull/error.hpp"
#include "netns.hpp"
#include "support/error_of.hpp"

using hull::net::parse_network;

namespace {

// The message of the error parse_network throws, or "" when it accepts the document.
std::string error_of(const std::string& json) {
  return hull::test::error_of([&] { parse_network(json, "net.json", "dflt"); });
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

TEST(NetworkConfig, SubnetsMustHoldAGatewayAndAContainerAndNoReservedAddress) {
  EXPECT_EQ(error_of(R"({"subnet": "0.0.0.0/0"})"),
            "net.json /subnet: 0.0.0.0/0 overlaps 0.0.0.0/8 (this network), which no container "
            "can use");
  EXPECT_EQ(error_of(R"({"subnet": "10.1.0.0/31"})"),
            "net.json /subnet: subnet 10.1.0.0/31 is too small for a gateway and a container (at "
            "most /30)");
  EXPECT_NE(error_of(R"({"subnet": "10.1.0.1/32"})").find("too small"), std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "127.0.0.0/24"})").find("(loopback)"), std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "224.1.0.0/16"})").find("(multicast)"), std::string::npos);
  EXPECT_NE(error_of(R"({"subnet": "128.0.0.0/1"})").find("/subnet: 128.0.0.0/1 overlaps 224"),
            std::string::npos);
  EXPECT_EQ(error_of(R"({"subnet": "10.1.0.0/30"})"), "");
  const std::string v4 = R"("subnet": "10.1.0.0/24", )";
  EXPECT_EQ(error_of("{" + v4 + R"("subnet6": "::/0"})"),
            "net.json /subnet6: ::/0 overlaps ::/127 (unspecified and loopback), which no "
            "container can use");
  EXPECT_NE(error_of("{" + v4 + R"("subnet6": "fd00::/127"})")
                .find("/subnet6: subnet fd00::/127 is too small"),
            std::string::npos);
  EXPECT_NE(error_of("{" + v4 + R"("subnet6": "fe80::/64"})").find("(link-local)"),
            std::string::npos);
  EXPECT_NE(error_of("{" + v4 + R"("subnet6": "ff02::/64"})").find("(multicast)"),
            std::string::npos);
  EXPECT_NE(error_of("{" + v4 + R"("subnet6": "10.2.0.0/24"})").find("/subnet6: must be an IPv6"),
            std::string::npos);
  EXPECT_EQ(error_of("{" + v4 + R"("subnet6": "fd00::/126"})"), "");
}

TEST(NetworkConfig, GatewayErrorsSayWhatTheAddressIs) {
  const std::string v4 = R"({"subnet": "10.1.0.0/24", "gateway": ")";
  EXPECT_EQ(error_of(v4 + R"(10.1.0.0"})"),
            "net.json /gateway: 10.1.0.0 is the network address of 10.1.0.0/24, not a host "
            "address");
  EXPECT_EQ(error_of(v4 + R"(10.1.0.255"})"),
            "net.json /gateway: 10.1.0.255 is the broadcast address of 10.1.0.0/24");
  EXPECT_EQ(error_of(v4 + R"(10.2.0.1"})"), "net.json /gateway: 10.2.0.1 is outside 10.1.0.0/24");
  EXPECT_EQ(error_of(v4 + R"(fd00::1"})"), "net.json /gateway: fd00::1 is outside 10.1.0.0/24");
  EXPECT_EQ(error_of(v4 + R"(gw"})"), "net.json /gateway: \"gw\" is not an IP address");
  const std::string v6 = R"({"subnet": "10.1.0.0/24", "subnet6": "fd00::/64", "gateway6": ")";
  EXPECT_NE(error_of(v6 + R"(fd00::"})").find("/gateway6: fd00:: is the subnet-router anycast"),
            std::string::npos);
  EXPECT_NE(
      error_of(v6 + R"(fd00::1:0:0:1"})").find("/gateway6: fd00::1:0:0:1 is beyond the first"),
      std::string::npos);
  EXPECT_EQ(error_of(v4 + R"(10.1.0.254"})"), "");
}

TEST(NetworkConfig, OverlappingNetworksInTheConfigDirAreRefusedNamingBoth) {
  hull::net::testing::TempDir dir;
  std::string a = dir.path() + "/a.json", b = dir.path() + "/b.json";
  std::ofstream(a) << R"({"bridge": "abr", "subnet": "10.5.0.0/16", "subnet6": "fd05::/64"})";
  std::ofstream(b) << R"({"bridge": "bbr", "subnet": "10.5.7.0/24"})";
  std::ofstream(dir.path() + "/broken.json") << "{nope";
  auto cfg_b = hull::net::load_network(dir.path(), "b");
  try {
    hull::net::check_config_overlaps(cfg_b, dir.path());
    FAIL() << "two networks share 10.5.7.0/24";
  } catch (const hull::Error& e) {
    EXPECT_EQ(std::string(e.what()),
              b + " /subnet: 10.5.7.0/24 of network \"b\" overlaps 10.5.0.0/16 of network \"a\" (" +
                  a + ")");
  }
  // Only IPv6 shared.
  std::ofstream(b) << R"({"bridge": "bbr", "subnet": "10.6.0.0/24", "subnet6": "fd05::/80"})";
  cfg_b = hull::net::load_network(dir.path(), "b");
  try {
    hull::net::check_config_overlaps(cfg_b, dir.path());
    FAIL() << "two networks share fd05::/80";
  } catch (const hull::Error& e) {
    EXPECT_NE(std::string(e.what()).find(
                  b + " /subnet6: fd05::/80 of network \"b\" overlaps fd05::/64 of network \"a\""),
              std::string::npos)
        << e.what();
  }
  // Apart, and the network itself given with --config from elsewhere, are fine.
  std::ofstream(b) << R"({"bridge": "bbr", "subnet": "10.6.0.0/24"})";
  EXPECT_NO_THROW(
      hull::net::check_config_overlaps(hull::net::load_network(dir.path(), "b"), dir.path()));
  auto cfg_a = hull::net::load_network_file(a);
  EXPECT_NO_THROW(hull::net::check_config_overlaps(cfg_a, dir.path()));
  EXPECT_NO_THROW(hull::net::check_config_overlaps(cfg_a, "/nonexistent-dir"));
}
