#include "net/ipam.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>

#include "hull/error.hpp"
#include "netns.hpp"
#include "support/error_of.hpp"

using hull::net::IpAddr;
using hull::net::Lease;
using hull::net::LeaseStore;
using hull::net::NetworkConfig;
using hull::net::parse_network;
using hull::net::testing::TempDir;

namespace {

// g++ 12 misreads `"c" + std::to_string(i)` under -O3 (-Wrestrict), hence append.
std::string cid(int i) {
  return std::string("c").append(std::to_string(i));
}

Lease want(const std::string& id) {
  Lease l;
  l.id = id;
  l.veth = "v-" + id;
  return l;
}

NetworkConfig net(const std::string& json) {
  return parse_network(json, "t.json", "t");
}

std::string error_of(LeaseStore& store, const NetworkConfig& cfg, const std::string& id,
                     const char* requested) {
  return hull::test::error_of(
      [&] { store.acquire(cfg, want(id), requested ? IpAddr::parse(requested) : std::nullopt); });
}

}  // namespace

TEST(Ipam, HandsOutLowestFreeAddressSkippingTheGateway) {
  TempDir dir;
  LeaseStore store(dir.path() + "/t");
  auto cfg = net(R"({"subnet": "10.5.0.0/24", "subnet6": "fd05::/64"})");
  auto a = store.acquire(cfg, want("a"), std::nullopt);
  auto b = store.acquire(cfg, want("b"), std::nullopt);
  EXPECT_EQ(a.ip4.str(), "10.5.0.2");
  EXPECT_EQ(a.ip6->str(), "fd05::2");
  EXPECT_EQ(b.ip4.str(), "10.5.0.3");
  EXPECT_TRUE(store.release("a"));
  EXPECT_FALSE(store.release("a"));
  EXPECT_EQ(store.acquire(cfg, want("c"), std::nullopt).ip4.str(), "10.5.0.2");
}

TEST(Ipam, SameContainerGetsTheSameLeaseBack) {
  TempDir dir;
  LeaseStore store(dir.path() + "/t");
  auto cfg = net(R"({"subnet": "10.5.0.0/24"})");
  auto first = store.acquire(cfg, want("a"), std::nullopt);
  store.acquire(cfg, want("b"), std::nullopt);
  Lease again = want("a");
  again.pid = 77;
  auto second = store.acquire(cfg, again, std::nullopt);
  EXPECT_EQ(first.ip4, second.ip4);
  EXPECT_EQ(store.find("a")->pid, 77);
  EXPECT_EQ(store.list().size(), 2u);
}

TEST(Ipam, RequestedAddressIsHonouredOrRefusedClearly) {
  TempDir dir;
  LeaseStore store(dir.path() + "/t");
  auto cfg = net(R"({"subnet": "10.5.0.0/24"})");
  EXPECT_EQ(store.acquire(cfg, want("a"), IpAddr::parse("10.5.0.50")).ip4.str(), "10.5.0.50");
  EXPECT_NE(error_of(store, cfg, "b", "10.5.0.50").find("already leased to container a"),
            std::string::npos);
  EXPECT_NE(error_of(store, cfg, "b", "10.5.0.1").find("is the gateway"), std::string::npos);
  EXPECT_NE(error_of(store, cfg, "b", "10.6.0.9").find("not a host address"), std::string::npos);
  EXPECT_NE(error_of(store, cfg, "b", "10.5.0.255").find("not a host address"), std::string::npos);
  EXPECT_EQ(store.list().size(), 1u);
}

TEST(Ipam, ExhaustionIsAClearErrorAndWritesNothing) {
  TempDir dir;
  LeaseStore store(dir.path() + "/t");
  auto cfg = net(R"({"subnet": "10.5.0.0/29"})");  // hosts .1-.6, .1 the gateway
  for (int i = 0; i < 5; ++i) store.acquire(cfg, want(cid(i)), std::nullopt);
  EXPECT_NE(error_of(store, cfg, "late", nullptr).find("no free address left in 10.5.0.0/29"),
            std::string::npos);
  EXPECT_FALSE(store.find("late"));
  EXPECT_EQ(store.list().size(), 5u);
}

TEST(Ipam, ConcurrentProcessesNeverShareAnAddress) {
  TempDir dir;
  auto cfg = net(R"({"subnet": "10.5.0.0/24"})");
  EXPECT_EQ(hull::net::testing::run_concurrently(
                20,
                [&](int i) {
                  LeaseStore(dir.path() + "/t").acquire(cfg, want(cid(i)), std::nullopt);
                  return true;
                }),
            0);
  auto leases = LeaseStore(dir.path() + "/t").list();
  std::set<std::string> addrs;
  for (auto& l : leases) addrs.insert(l.ip4.str());
  EXPECT_EQ(leases.size(), 20u);
  EXPECT_EQ(addrs.size(), 20u);
}

TEST(Ipam, CorruptStateFileIsNamed) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() + "/t");
  FILE* f = std::fopen((dir.path() + "/t/leases.json").c_str(), "w");
  std::fputs("{\"a\": 3}", f);
  std::fclose(f);
  LeaseStore store(dir.path() + "/t");
  try {
    store.list();
    FAIL() << "read a corrupt lease file";
  } catch (const hull::Error& e) {
    EXPECT_NE(std::string(e.what()).find("leases.json: lease /a is malformed"), std::string::npos);
  }
}
