#include "net/addr.hpp"

#include <gtest/gtest.h>

using hull::net::IpAddr;
using hull::net::Subnet;

TEST(Addr, ParsesAndPrintsBothFamilies) {
  EXPECT_EQ(IpAddr::parse("10.88.0.7")->str(), "10.88.0.7");
  EXPECT_TRUE(IpAddr::parse("10.88.0.7")->v4());
  EXPECT_EQ(IpAddr::parse("fd00:0::1")->str(), "fd00::1");
  EXPECT_FALSE(IpAddr::parse("fd00::1")->v4());
  EXPECT_FALSE(IpAddr::parse("10.88.0"));
  EXPECT_FALSE(IpAddr::parse("host"));
}

TEST(Addr, SubnetRejectsHostBitsAndBadPrefixes) {
  EXPECT_TRUE(Subnet::parse("10.88.0.0/16"));
  EXPECT_FALSE(Subnet::parse("10.88.0.1/16"));
  EXPECT_FALSE(Subnet::parse("10.88.0.0/33"));
  EXPECT_FALSE(Subnet::parse("10.88.0.0"));
  EXPECT_FALSE(Subnet::parse("10.88.0.0/x"));
  EXPECT_FALSE(Subnet::parse("fd00::/129"));
  EXPECT_EQ(Subnet::parse("fd00::/64")->str(), "fd00::/64");
}

TEST(Addr, IndexesCarryAcrossOctets) {
  auto net = *Subnet::parse("10.88.0.0/16");
  EXPECT_EQ(net.at(1)->str(), "10.88.0.1");
  EXPECT_EQ(net.at(256)->str(), "10.88.1.0");
  EXPECT_EQ(net.at(65534)->str(), "10.88.255.254");
  EXPECT_FALSE(net.at(65535));  // broadcast
  EXPECT_FALSE(net.at(0));      // network address
  EXPECT_EQ(net.index_of(*IpAddr::parse("10.88.1.0")), 256u);
  EXPECT_EQ(net.last_index(), 65534u);
}

TEST(Addr, Ipv6IndexesAndContainment) {
  auto net = *Subnet::parse("fd00:1::/64");
  EXPECT_EQ(net.at(2)->str(), "fd00:1::2");
  EXPECT_EQ(net.at(0x10001)->str(), "fd00:1::1:1");
  EXPECT_TRUE(net.contains(*IpAddr::parse("fd00:1::ffff")));
  EXPECT_FALSE(net.contains(*IpAddr::parse("fd00:2::1")));
  EXPECT_FALSE(net.contains(*IpAddr::parse("10.0.0.1")));
  EXPECT_EQ(net.last_index(), (uint64_t{1} << 32) - 1);
}

TEST(Addr, TinySubnetsHaveFewHosts) {
  EXPECT_EQ(Subnet::parse("10.0.0.0/30")->last_index(), 2u);
  EXPECT_EQ(Subnet::parse("10.0.0.0/31")->last_index(), 0u);
}
