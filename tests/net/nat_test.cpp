#include "net/nat.hpp"

#include <gtest/gtest.h>

#include "hull/error.hpp"
#include "netns.hpp"

using namespace hull::net;

namespace {

Lease lease_of(const char* ip4, const char* ip6) {
  Lease l;
  l.id.assign("container-1");
  l.ip4 = *IpAddr::parse(ip4);
  if (ip6) l.ip6 = IpAddr::parse(ip6);
  return l;
}

class NatNetns : public hull::net::testing::HostNetns {};

}  // namespace

TEST(NatText, PortElementsPerFamilyAndBinding) {
  auto ports = parse_ports("8080:80,127.0.0.1:53:53/udp,[::1]:99:9");
  std::string add = nft_port_elements("add", ports, lease_of("10.1.0.2", "fd01::2"));
  EXPECT_EQ(add,
            "add element inet hull ports4 { tcp . 8080 : 10.1.0.2 . 80 }\n"
            "add element inet hull ports6 { tcp . 8080 : fd01::2 . 80 }\n"
            "add element inet hull hports4 { 127.0.0.1 . udp . 53 : 10.1.0.2 . 53 }\n"
            "add element inet hull hports6 { ::1 . tcp . 99 : fd01::2 . 9 }\n");
  std::string del =
      nft_port_elements("delete", parse_ports("8080:80"), lease_of("10.1.0.2", nullptr));
  EXPECT_EQ(del, "delete element inet hull ports4 { tcp . 8080 }\n");
}

TEST_F(NatNetns, BaseRulesetLoadsTwiceWithoutDuplicatingRules) {
  Nft nft;
  auto cfg = parse_network(R"({"subnet": "10.1.0.0/24", "subnet6": "fd01::/64"})", "t", "t");
  nft.run(nft_base_ruleset() + nft_network_elements(cfg));
  nft.run(nft_base_ruleset() + nft_network_elements(cfg));
  nft.run("list chain inet hull postrouting");
  std::string chain = nft.output();
  size_t n = 0;
  for (size_t at = chain.find("masquerade"); at != std::string::npos;
       at = chain.find("masquerade", at + 1))
    ++n;
  EXPECT_EQ(n, 5u) << chain;
}

TEST_F(NatNetns, RemovingPortsIsIdempotentAndSparesOtherContainers) {
  Nft nft;
  auto mine = lease_of("10.1.0.2", nullptr);
  auto theirs = lease_of("10.1.0.3", nullptr);
  nft.run(nft_base_ruleset() + nft_port_elements("add", parse_ports("8080:80"), mine) +
          nft_port_elements("add", parse_ports("9090:90"), theirs));
  nft_remove_ports(nft, parse_ports("8080:80,9090:90"), mine);
  nft_remove_ports(nft, parse_ports("8080:80,9090:90"), mine);
  nft.run("list map inet hull ports4");
  std::string map = nft.output();
  EXPECT_EQ(map.find("8080"), std::string::npos) << map;
  EXPECT_NE(map.find("tcp . 9090 : 10.1.0.3 . 90"), std::string::npos) << map;
}

TEST_F(NatNetns, ErrorsCarryNftsMessage) {
  Nft nft;
  try {
    nft.run("add element inet nosuchtable x { 1 }");
    FAIL();
  } catch (const hull::Error& e) {
    EXPECT_NE(std::string(e.what()).find("nftables: "), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("nosuchtable"), std::string::npos) << e.what();
  }
}
