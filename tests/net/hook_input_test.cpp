#include "net/hook_input.hpp"

#include <gtest/gtest.h>

#include "hull/error.hpp"

using hull::net::parse_ports;
using hull::net::parse_state;

TEST(Ports, ParsesEveryForm) {
  auto ports = parse_ports("8080:80/tcp, 5353:53/udp,127.0.0.1:9000:90,[::1]:9001:91/sctp");
  ASSERT_EQ(ports.size(), 4u);
  EXPECT_EQ(ports[0].host_port, 8080);
  EXPECT_EQ(ports[0].container_port, 80);
  EXPECT_EQ(ports[0].proto, "tcp");
  EXPECT_FALSE(ports[0].host_ip);
  EXPECT_EQ(ports[1].proto, "udp");
  EXPECT_EQ(ports[2].host_ip->str(), "127.0.0.1");
  EXPECT_EQ(ports[2].proto, "tcp");
  EXPECT_EQ(ports[3].host_ip->str(), "::1");
  EXPECT_EQ(ports[3].proto, "sctp");
  EXPECT_EQ(hull::net::format_ports(ports),
            "8080:80/tcp,5353:53/udp,127.0.0.1:9000:90/tcp,[::1]:9001:91/sctp");
  EXPECT_EQ(parse_ports(hull::net::format_ports(ports)), ports);
  EXPECT_TRUE(parse_ports("").empty());
}

TEST(Ports, BadEntriesAreNamed) {
  for (const char* bad :
       {"8080", "0:80", "8080:70000", "x:80", "8080:80/icmp", "1.2.3:80:80", "8080:80,8080:81"}) {
    try {
      parse_ports(bad);
      ADD_FAILURE() << "accepted " << bad;
    } catch (const hull::Error& e) {
      EXPECT_NE(std::string(e.what()).find("hull.net.ports"), std::string::npos) << e.what();
    }
  }
}

TEST(State, ReadsTheOciStateDocument) {
  auto st = parse_state(R"({"ociVersion": "1.0.2", "id": "web-1", "pid": 42,
      "status": "creating", "bundle": "/b", "annotations": {"hull.net.ip": "10.0.0.5"}})");
  EXPECT_EQ(st.id, "web-1");
  EXPECT_EQ(st.pid, 42);
  EXPECT_EQ(st.status, "creating");
  EXPECT_EQ(st.bundle, "/b");
  EXPECT_EQ(st.annotations.at("hull.net.ip"), "10.0.0.5");
}

TEST(State, RejectsWhatCannotKeyALease) {
  EXPECT_THROW(parse_state("not json"), hull::Error);
  EXPECT_THROW(parse_state(R"({"pid": 1})"), hull::Error);
  EXPECT_THROW(parse_state(R"({"id": "../x", "pid": 1})"), hull::Error);
  EXPECT_THROW(parse_state(R"({"id": "a", "pid": "1"})"), hull::Error);
  EXPECT_THROW(parse_state(R"({"id": "a", "annotations": {"k": 1}})"), hull::Error);
}
