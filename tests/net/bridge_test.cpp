// setup/teardown/gc against the real kernel, each test in a network namespace of its own.
#include "net/bridge.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <fstream>
#include <memory>
#include <set>

#include "hull/error.hpp"
#include "net/files.hpp"
#include "net/nat.hpp"
#include "net/netlink.hpp"
#include "netns.hpp"
#include "support/error_of.hpp"

using namespace hull::net;
using hull::net::testing::FakeContainer;
using hull::net::testing::TempDir;

namespace {

// g++ 12 misreads `"c" + std::to_string(i)` under -O3 (-Wrestrict), hence append.
std::string cid(int i) {
  return std::string("c").append(std::to_string(i));
}

class Bridge : public hull::net::testing::HostNetns {
 protected:
  ContainerState state(const std::string& id, const FakeContainer& c,
                       std::map<std::string, std::string> annotations = {}) {
    ContainerState st;
    st.id = id;
    st.pid = c.pid();
    st.status = "creating";
    st.annotations = std::move(annotations);
    return st;
  }
  std::string nft_list(const std::string& what) {
    Nft nft;
    if (!nft.try_run("list " + what)) return "";
    return nft.output();
  }

  TempDir dir;
  Paths paths{dir.path() + "/etc", dir.path() + "/state"};
  NetworkConfig cfg = parse_network(R"({"name": "t", "bridge": "tbr0", "subnet": "10.77.0.0/24",
                        "subnet6": "fd77::/64"})",
                                    "t.json", "t");
};

bool pings(const FakeContainer& from, const std::string& addr) {
  return from.run("busybox ping -c 1 -W 2 " + addr).find("1 packets received") != std::string::npos;
}

}  // namespace

TEST_F(Bridge, SetupGivesTheContainerAnAddressRouteAndGateway) {
  FakeContainer c;
  Lease lease = setup(paths, cfg, state("c1", c));
  EXPECT_EQ(lease.ip4.str(), "10.77.0.2");
  EXPECT_TRUE(link_exists("tbr0"));
  EXPECT_TRUE(link_exists(lease.veth));
  std::string addrs = c.run("ip -o addr show dev eth0");
  EXPECT_NE(addrs.find("10.77.0.2/24"), std::string::npos) << addrs;
  EXPECT_NE(addrs.find("fd77::2/64"), std::string::npos) << addrs;
  EXPECT_NE(c.run("ip link show dev eth0").find("02:48:0a:4d:00:02"), std::string::npos);
  EXPECT_NE(c.run("ip route").find("default via 10.77.0.1 dev eth0"), std::string::npos);
  EXPECT_NE(c.run("ip -6 route").find("default via fd77::1 dev eth0"), std::string::npos);
  EXPECT_NE(c.run("ip link show dev lo").find("UP"), std::string::npos);
  EXPECT_TRUE(pings(c, "10.77.0.1"));
  EXPECT_TRUE(pings(c, "fd77::1"));
  EXPECT_EQ(LeaseStore(paths.state_dir + "/t").find("c1")->veth, lease.veth);
}

TEST_F(Bridge, TwoContainersReachEachOtherOverBothFamilies) {
  FakeContainer a, b;
  setup(paths, cfg, state("a", a));
  Lease lb = setup(paths, cfg, state("b", b));
  EXPECT_TRUE(pings(a, lb.ip4.str()));
  EXPECT_TRUE(pings(a, lb.ip6->str()));
}

TEST_F(Bridge, MasqueradeAndPortMapsLandInTheHullTable) {
  FakeContainer c;
  setup(paths, cfg, state("c1", c, {{"hull.net.ports", "8080:80,127.0.0.1:5353:53/udp"}}));
  std::string table = nft_list("table inet hull");
  EXPECT_NE(table.find("ip saddr @masq4 ip daddr != @nets4 masquerade"), std::string::npos);
  EXPECT_NE(nft_list("set inet hull masq4").find("10.77.0.0/24"), std::string::npos);
  EXPECT_NE(nft_list("set inet hull masq6").find("fd77::/64"), std::string::npos);
  EXPECT_NE(nft_list("map inet hull ports4").find("tcp . 8080 : 10.77.0.2 . 80"),
            std::string::npos);
  EXPECT_NE(nft_list("map inet hull ports6").find("tcp . 8080 : fd77::2 . 80"), std::string::npos);
  EXPECT_NE(nft_list("map inet hull hports4").find("127.0.0.1 . udp . 5353 : 10.77.0.2 . 53"),
            std::string::npos);
}

TEST_F(Bridge, MasqueradeOffLeavesTheSubnetOut) {
  cfg.masquerade = false;
  FakeContainer c;
  setup(paths, cfg, state("c1", c));
  EXPECT_EQ(nft_list("set inet hull masq4").find("10.77.0.0/24"), std::string::npos);
  EXPECT_NE(nft_list("set inet hull nets4").find("10.77.0.0/24"), std::string::npos);
}

TEST_F(Bridge, TeardownRemovesVethMappingsAndLeaseAndMayRepeat) {
  FakeContainer c;
  Lease lease = setup(paths, cfg, state("c1", c, {{"hull.net.ports", "8080:80"}}));
  teardown(paths, "t", "c1");
  EXPECT_FALSE(link_exists(lease.veth));
  EXPECT_EQ(c.run("ip link show dev eth0").find("eth0@"), std::string::npos);
  EXPECT_EQ(nft_list("map inet hull ports4").find("8080"), std::string::npos);
  EXPECT_FALSE(LeaseStore(paths.state_dir + "/t").find("c1"));
  EXPECT_NO_THROW(teardown(paths, "t", "c1"));
  EXPECT_NO_THROW(teardown(paths, "t", "never-existed"));
}

TEST_F(Bridge, TeardownWorksOnceTheContainerIsGone) {
  auto c = std::make_unique<FakeContainer>();
  Lease lease = setup(paths, cfg, state("c1", *c, {{"hull.net.ports", "8080:80"}}));
  c.reset();  // its netns, and with it eth0, is gone
  EXPECT_NO_THROW(teardown(paths, "t", "c1"));
  EXPECT_FALSE(link_exists(lease.veth));
  EXPECT_EQ(nft_list("map inet hull ports4").find("8080"), std::string::npos);
  EXPECT_FALSE(LeaseStore(paths.state_dir + "/t").find("c1"));
}

TEST_F(Bridge, RepeatedSetupKeepsOneVethAndTheSameAddress) {
  FakeContainer c;
  Lease first = setup(paths, cfg, state("c1", c, {{"hull.net.ports", "8080:80"}}));
  Lease second = setup(paths, cfg, state("c1", c, {{"hull.net.ports", "9090:90"}}));
  EXPECT_EQ(first.ip4, second.ip4);
  EXPECT_EQ(first.veth, second.veth);
  EXPECT_TRUE(link_exists(second.veth));
  EXPECT_TRUE(pings(c, "10.77.0.1"));
  std::string ports = nft_list("map inet hull ports4");
  EXPECT_EQ(ports.find("8080"), std::string::npos) << ports;
  EXPECT_NE(ports.find("9090"), std::string::npos) << ports;
}

TEST_F(Bridge, HookKilledHalfWayIsRepairedByTheNextCall) {
  // What a hook killed after the lease and the veth leaves behind: no addresses, no routes,
  // no NAT.
  FakeContainer c;
  LeaseStore store(paths.state_dir + "/t");
  Lease half;
  half.id = "c1";
  half.veth = veth_name("t", "c1");
  half.pid = c.pid();
  half = store.acquire(cfg, half, std::nullopt);
  {
    Netlink host;
    host.ensure_bridge("tbr0", 1500);
    Fd ns(::open(c.ns().c_str(), O_RDONLY | O_CLOEXEC));
    host.create_veth(half.veth, host.link_index("tbr0"), "eth0", ns.get(), container_mac(half.ip4),
                     1500);
  }
  Lease lease = setup(paths, cfg, state("c1", c));
  EXPECT_EQ(lease.ip4, half.ip4);
  EXPECT_TRUE(pings(c, "10.77.0.1"));
}

TEST_F(Bridge, GcReleasesLeasesOfContainersThatAreGone) {
  FakeContainer alive;
  auto dead = std::make_unique<FakeContainer>();
  setup(paths, cfg, state("alive", alive));
  Lease gone = setup(paths, cfg, state("dead", *dead, {{"hull.net.ports", "8080:80"}}));
  dead.reset();
  auto released = gc(paths);
  ASSERT_EQ(released.size(), 1u);
  EXPECT_EQ(released[0], "t/dead");
  EXPECT_FALSE(link_exists(gone.veth));
  EXPECT_EQ(nft_list("map inet hull ports4").find("8080"), std::string::npos);
  EXPECT_TRUE(LeaseStore(paths.state_dir + "/t").find("alive"));
  EXPECT_TRUE(gc(paths).empty());
}

TEST_F(Bridge, PortTakenByAnotherContainerFailsAndLeavesNothing) {
  FakeContainer a, b;
  setup(paths, cfg, state("a", a, {{"hull.net.ports", "8080:80"}}));
  try {
    setup(paths, cfg, state("b", b, {{"hull.net.ports", "8080:80"}}));
    FAIL() << "two containers published host port 8080";
  } catch (const hull::Error& e) {
    EXPECT_STREQ(e.what(),
                 "annotation hull.net.ports: host port 8080/tcp is already published by "
                 "container a (network t)");
  }
  EXPECT_FALSE(link_exists(veth_name("t", "b")));
  EXPECT_FALSE(LeaseStore(paths.state_dir + "/t").find("b"));
  EXPECT_NE(nft_list("map inet hull ports4").find("tcp . 8080 : 10.77.0.2 . 80"),
            std::string::npos);
}

TEST_F(Bridge, BadAnnotationsTouchNothing) {
  FakeContainer c;
  EXPECT_THROW(setup(paths, cfg, state("c1", c, {{"hull.net.ports", "80"}})), hull::Error);
  EXPECT_THROW(setup(paths, cfg, state("c1", c, {{"hull.net.ip", "ten"}})), hull::Error);
  EXPECT_THROW(setup(paths, cfg, state("c1", c, {{"hull.net.ip", "10.99.0.5"}})), hull::Error);
  EXPECT_FALSE(link_exists("tbr0"));
  EXPECT_FALSE(link_exists(veth_name("t", "c1")));
  EXPECT_TRUE(LeaseStore(paths.state_dir + "/t").list().empty());
}

TEST_F(Bridge, MissingProcessIsAClearError) {
  ContainerState st;
  st.id = "c1";
  st.pid = 0;
  EXPECT_THROW(setup(paths, cfg, st), hull::Error);
  st.pid = 999999999;
  try {
    setup(paths, cfg, st);
    FAIL();
  } catch (const hull::Error& e) {
    EXPECT_NE(std::string(e.what()).find("/proc/999999999/ns/net"), std::string::npos);
  }
  EXPECT_TRUE(LeaseStore(paths.state_dir + "/t").list().empty());
}

TEST_F(Bridge, TwentyConcurrentContainersGetTwentyAddresses) {
  std::vector<std::unique_ptr<FakeContainer>> ctrs;
  for (int i = 0; i < 20; ++i) ctrs.push_back(std::make_unique<FakeContainer>());
  EXPECT_EQ(hull::net::testing::run_concurrently(20,
                                                 [&](int i) {
                                                   setup(paths, cfg, state(cid(i), *ctrs[i]));
                                                   return true;
                                                 }),
            0);
  auto leases = LeaseStore(paths.state_dir + "/t").list();
  std::set<std::string> addrs;
  for (auto& l : leases) addrs.insert(l.ip4.str());
  EXPECT_EQ(addrs.size(), 20u);
  EXPECT_TRUE(pings(*ctrs[0], leases.back().ip4.str()));
  for (int i = 0; i < 20; ++i) teardown(paths, "t", cid(i));
  EXPECT_TRUE(LeaseStore(paths.state_dir + "/t").list().empty());
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(link_exists(veth_name("t", cid(i))));
}

namespace {

// The error setup throws, or "" when it succeeds.
std::string setup_error(const Paths& paths, const NetworkConfig& cfg, const ContainerState& st) {
  return hull::test::error_of([&] { setup(paths, cfg, st); });
}

}  // namespace

TEST_F(Bridge, PortTakenOnAnotherNetworkNamesThatNetwork) {
  FakeContainer a, b;
  setup(paths, cfg, state("a", a, {{"hull.net.ports", "127.0.0.1:5353:53/udp"}}));
  NetworkConfig other =
      parse_network(R"({"name": "u", "bridge": "ubr0", "subnet": "10.78.0.0/24"})", "u.json", "u");
  EXPECT_EQ(setup_error(paths, other, state("b", b, {{"hull.net.ports", "127.0.0.1:5353:53/udp"}})),
            "annotation hull.net.ports: host port 127.0.0.1:5353/udp is already published by "
            "container a (network t)");
  EXPECT_FALSE(link_exists("ubr0"));
  // The same port on another address or protocol is another key.
  EXPECT_NO_THROW(setup(paths, other, state("b", b, {{"hull.net.ports", "5353:53/udp"}})));
}

TEST_F(Bridge, AFailedFirstSetupTakesBackTheBridgeAddressAndNatElements) {
  // A mapping nobody leased (left by hand) makes the first container's NAT step fail after the
  // bridge, its addresses and the veth are up.
  {
    Nft nft;
    nft.run(nft_base_ruleset() + "add element inet hull ports4 { tcp . 8080 : 10.9.9.9 . 80 }\n");
  }
  FakeContainer c;
  std::string err = setup_error(paths, cfg, state("c1", c, {{"hull.net.ports", "8080:80"}}));
  EXPECT_NE(err.find("connecting container c1 to network t: nftables:"), std::string::npos) << err;
  EXPECT_FALSE(link_exists("tbr0"));
  EXPECT_FALSE(link_exists(veth_name("t", "c1")));
  EXPECT_TRUE(LeaseStore(paths.state_dir + "/t").list().empty());
  EXPECT_EQ(nft_list("set inet hull nets4").find("10.77.0.0/24"), std::string::npos);
  EXPECT_EQ(nft_list("set inet hull masq6").find("fd77::/64"), std::string::npos);
  EXPECT_NE(nft_list("map inet hull ports4").find("10.9.9.9 . 80"), std::string::npos);
}

TEST_F(Bridge, AFailedSetupLeavesABridgeOthersUse) {
  FakeContainer a, b;
  setup(paths, cfg, state("a", a));
  {
    Nft nft;
    nft.run("add element inet hull ports4 { tcp . 8080 : 10.9.9.9 . 80 }\n");
  }
  EXPECT_NE(setup_error(paths, cfg, state("b", b, {{"hull.net.ports", "8080:80"}})), "");
  EXPECT_TRUE(link_exists("tbr0"));
  EXPECT_TRUE(pings(a, "10.77.0.1"));
  EXPECT_NE(nft_list("set inet hull nets4").find("10.77.0.0/24"), std::string::npos);
}

TEST_F(Bridge, AnExistingLinkThatIsNoBridgeIsRefusedUntouched) {
  ASSERT_EQ(std::system("ip link add tbr0 type veth peer name tbr0p"), 0);
  FakeContainer c;
  EXPECT_EQ(setup_error(paths, cfg, state("c1", c)),
            "t.json /bridge: bridge \"tbr0\" exists and is not a bridge (kind veth)");
  EXPECT_EQ(FakeContainer::capture("ip -o addr show dev tbr0").find("inet"), std::string::npos);
  EXPECT_TRUE(LeaseStore(paths.state_dir + "/t").list().empty());
  EXPECT_FALSE(link_exists(veth_name("t", "c1")));

  cfg.bridge = "lo";
  std::string before = FakeContainer::capture("ip -o addr show dev lo");
  EXPECT_EQ(setup_error(paths, cfg, state("c1", c)),
            "t.json /bridge: bridge \"lo\" exists and is not a bridge (kind loopback)");
  EXPECT_EQ(FakeContainer::capture("ip -o addr show dev lo"), before);

  // The same check where a link of that name appears between the check and the creation.
  Netlink host;
  try {
    host.ensure_bridge("tbr0", 1500);
    FAIL() << "ensure_bridge accepted a veth";
  } catch (const hull::Error& e) {
    EXPECT_STREQ(e.what(), "bridge \"tbr0\" exists and is not a bridge (kind veth)");
  }
}

TEST_F(Bridge, ASubnetSharedWithAHostAddressIsRefused) {
  ASSERT_EQ(std::system("ip link add up0 type veth peer name up1 && "
                        "ip addr add 10.77.5.1/16 dev up0 && ip addr add fd77::99/120 dev up1"),
            0);
  FakeContainer c;
  EXPECT_EQ(setup_error(paths, cfg, state("c1", c)),
            "t.json /subnet: 10.77.0.0/24 of network \"t\" overlaps address 10.77.5.1/16 on host "
            "interface up0");
  EXPECT_FALSE(link_exists("tbr0"));
  ASSERT_EQ(std::system("ip addr del 10.77.5.1/16 dev up0"), 0);
  EXPECT_EQ(setup_error(paths, cfg, state("c1", c)),
            "t.json /subnet6: fd77::/64 of network \"t\" overlaps address fd77::99/120 on host "
            "interface up1");
  EXPECT_FALSE(link_exists("tbr0"));
  EXPECT_TRUE(LeaseStore(paths.state_dir + "/t").list().empty());
  // Its own gateway on its own bridge is no clash: a second container joins.
  ASSERT_EQ(std::system("ip addr del fd77::99/120 dev up1"), 0);
  setup(paths, cfg, state("c1", c));
  FakeContainer d;
  EXPECT_NO_THROW(setup(paths, cfg, state("c2", d)));
}

TEST_F(Bridge, AddressesAreAddedOnceAndRemoved) {
  Netlink host;
  EXPECT_TRUE(host.ensure_bridge("tbr0", 1500));
  EXPECT_FALSE(host.ensure_bridge("tbr0", 1500));
  int br = host.link_index("tbr0");
  auto gw = *IpAddr::parse("10.77.0.1");
  EXPECT_TRUE(host.add_address(br, gw, 24));
  EXPECT_FALSE(host.add_address(br, gw, 24));
  bool found = false;
  for (auto& a : host.addresses())
    found = found || (a.index == br && a.net.str() == "10.77.0.1/24");
  EXPECT_TRUE(found);
  EXPECT_TRUE(host.delete_address(br, gw, 24));
  EXPECT_FALSE(host.delete_address(br, gw, 24));
  auto link = host.link("tbr0");
  ASSERT_TRUE(link);
  EXPECT_EQ(link->kind, "bridge");
  EXPECT_EQ(link->name, "tbr0");
  EXPECT_FALSE(host.link("nonexistent0"));
}
