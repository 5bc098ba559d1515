#include "net/etc_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "net/files.hpp"
#include "netns.hpp"

using namespace hull::net;
using hull::net::testing::TempDir;

namespace {

Lease lease_of(const char* ip4, const char* ip6) {
  Lease l;
  l.id = "0123456789abcdef";
  l.ip4 = *IpAddr::parse(ip4);
  if (ip6) l.ip6 = IpAddr::parse(ip6);
  return l;
}

void put(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

TEST(EtcFiles, ResolvConfPrefersTheNetworksServers) {
  auto cfg = parse_network(R"({"subnet": "10.1.0.0/24", "dns": ["9.9.9.9"]})", "t", "t");
  EXPECT_EQ(resolv_conf_text(cfg, "nameserver 1.1.1.1\n"), "nameserver 9.9.9.9\n");
}

TEST(EtcFiles, ResolvConfDropsTheHostsLoopbackServers) {
  auto cfg = parse_network(R"({"subnet": "10.1.0.0/24"})", "t", "t");
  EXPECT_EQ(resolv_conf_text(cfg,
                             "# x\nnameserver 127.0.0.53\nnameserver 192.0.2.1\n"
                             "search example.org\n"),
            "nameserver 192.0.2.1\nsearch example.org\n");
}

TEST(EtcFiles, HostsNamesTheContainersAddresses) {
  std::string hosts = hosts_text(lease_of("10.1.0.2", "fd01::2"), "web");
  EXPECT_NE(hosts.find("127.0.0.1\tlocalhost\n"), std::string::npos);
  EXPECT_NE(hosts.find("10.1.0.2\tweb\n"), std::string::npos);
  EXPECT_NE(hosts.find("fd01::2\tweb\n"), std::string::npos);
}

TEST(EtcFiles, WritesOnlyTheBundleFilesConfigJsonMounts) {
  TempDir bundle;
  TempDir outside;
  put(bundle.path() + "/hosts", "old");
  put(outside.path() + "/resolv.conf", "untouched");
  put(bundle.path() + "/config.json",
      R"({"hostname": "web", "mounts": [
        {"destination": "/etc/hosts", "type": "bind", "source": "hosts", "options": ["bind"]},
        {"destination": "/etc/resolv.conf", "type": "bind", "source": ")" +
          outside.path() + R"(/resolv.conf", "options": ["bind"]}]})");
  auto cfg = parse_network(R"({"subnet": "10.1.0.0/24", "dns": ["9.9.9.9"]})", "t", "t");
  write_etc_files(bundle.path(), cfg, lease_of("10.1.0.2", nullptr));
  EXPECT_NE(read_file(bundle.path() + "/hosts").find("10.1.0.2\tweb\n"), std::string::npos);
  EXPECT_EQ(read_file(outside.path() + "/resolv.conf"), "untouched");
}

TEST(EtcFiles, NoMountsMeansNoWrites) {
  TempDir bundle;
  put(bundle.path() + "/config.json", R"({"mounts": []})");
  put(bundle.path() + "/hosts", "old");
  auto cfg = parse_network(R"({"subnet": "10.1.0.0/24"})", "t", "t");
  write_etc_files(bundle.path(), cfg, lease_of("10.1.0.2", nullptr));
  EXPECT_EQ(read_file(bundle.path() + "/hosts"), "old");
}
