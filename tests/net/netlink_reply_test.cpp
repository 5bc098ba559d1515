// Kernel answers built by hand: what Netlink reads, without a socket.
#include "net/netlink_reply.hpp"

#include <gtest/gtest.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <climits>
#include <cstring>

using namespace hull::net;

namespace {

// A reply buffer assembled message by message, aligned as a recv buffer is.
struct Reply {
  alignas(8) char buf[1024] = {};
  size_t len = 0;

  nlmsghdr* msg(uint16_t type, uint32_t seq, size_t payload) {
    auto* h = reinterpret_cast<nlmsghdr*>(buf + len);
    h->nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(payload));
    h->nlmsg_type = type;
    h->nlmsg_seq = seq;
    len += NLMSG_ALIGN(h->nlmsg_len);
    return h;
  }
  void attr(nlmsghdr* h, uint16_t type, const void* data, size_t n) {
    auto* a = reinterpret_cast<rtattr*>(reinterpret_cast<char*>(h) + NLMSG_ALIGN(h->nlmsg_len));
    a->rta_type = type;
    a->rta_len = static_cast<uint16_t>(RTA_LENGTH(n));
    std::memcpy(RTA_DATA(a), data, n);
    h->nlmsg_len = static_cast<uint32_t>(NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len));
    len = static_cast<size_t>(reinterpret_cast<char*>(h) - buf) + NLMSG_ALIGN(h->nlmsg_len);
  }
  void error(uint32_t seq, int err) {
    auto* h = msg(NLMSG_ERROR, seq, sizeof(nlmsgerr));
    static_cast<nlmsgerr*>(NLMSG_DATA(h))->error = err;
  }
};

}  // namespace

TEST(NetlinkReply, AcksErrorsAndForeignSequenceNumbers) {
  Reply ok;
  ok.error(7, 0);
  EXPECT_EQ(parse_ack(ok.buf, ok.len, 7, 0), kReplyDone);
  EXPECT_EQ(parse_ack(ok.buf, ok.len, 8, 0), -EPROTO);
  Reply eexist;
  eexist.error(7, -EEXIST);
  EXPECT_EQ(parse_ack(eexist.buf, eexist.len, 7, 0), -EEXIST);
  // Any int may come in an error; only an errno leaves.
  Reply odd;
  odd.error(7, INT_MIN);
  EXPECT_EQ(parse_ack(odd.buf, odd.len, 7, 0), -EPROTO);
}

TEST(NetlinkReply, LinkKindNameAndType) {
  Reply r;
  auto* h = r.msg(RTM_NEWLINK, 3, sizeof(ifinfomsg));
  auto* ifi = static_cast<ifinfomsg*>(NLMSG_DATA(h));
  ifi->ifi_index = 5;
  ifi->ifi_type = ARPHRD_ETHER;
  r.attr(h, IFLA_IFNAME, "hbr0", 5);
  // IFLA_LINKINFO { IFLA_INFO_KIND "bridge" }
  alignas(4) char nest[16] = {};
  auto* kind = reinterpret_cast<rtattr*>(nest);
  kind->rta_type = IFLA_INFO_KIND;
  kind->rta_len = RTA_LENGTH(7);
  std::memcpy(RTA_DATA(kind), "bridge", 7);
  r.attr(h, IFLA_LINKINFO, nest, RTA_ALIGN(kind->rta_len));
  std::vector<LinkInfo> links;
  EXPECT_EQ(parse_links(r.buf, r.len, 3, 0, links), kReplyMore);
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].index, 5);
  EXPECT_EQ(links[0].name, "hbr0");
  EXPECT_EQ(links[0].describe_kind(), "bridge");
  LinkInfo lo;
  lo.type = ARPHRD_LOOPBACK;
  EXPECT_EQ(lo.describe_kind(), "loopback");
}

TEST(NetlinkReply, MalformedRepliesAreRefusedNotWalked) {
  // A length of 2 GiB or more: libmnl alone takes it for negative and jumps off the buffer.
  Reply huge;
  huge.error(1, 0);
  reinterpret_cast<nlmsghdr*>(huge.buf)->nlmsg_len = 0xff000500;
  std::vector<LinkInfo> links;
  EXPECT_EQ(parse_links(huge.buf, huge.len, 0, 0, links), -EBADMSG);
  EXPECT_EQ(parse_ack(huge.buf, huge.len, 0, 0), -EBADMSG);
  EXPECT_TRUE(ends_dump(huge.buf, huge.len));
  // A link message too short for its ifinfomsg.
  Reply shortmsg;
  shortmsg.msg(RTM_NEWLINK, 1, 4);
  EXPECT_EQ(parse_links(shortmsg.buf, shortmsg.len, 1, 0, links), -EBADMSG);
  // An IPv4 address whose attribute holds 16 bytes.
  Reply addr;
  auto* h = addr.msg(RTM_NEWADDR, 1, sizeof(ifaddrmsg));
  static_cast<ifaddrmsg*>(NLMSG_DATA(h))->ifa_family = AF_INET;
  char sixteen[16] = {};
  addr.attr(h, IFA_LOCAL, sixteen, sizeof sixteen);
  std::vector<AddrInfo> addrs;
  EXPECT_EQ(parse_addrs(addr.buf, addr.len, 1, 0, addrs), -EBADMSG);
  EXPECT_TRUE(addrs.empty());
}

TEST(NetlinkReply, AddressDumpEndsWithDone) {
  Reply r;
  auto* h = r.msg(RTM_NEWADDR, 9, sizeof(ifaddrmsg));
  auto* ifa = static_cast<ifaddrmsg*>(NLMSG_DATA(h));
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = 24;
  ifa->ifa_index = 4;
  unsigned char ip[4] = {10, 66, 0, 1};
  r.attr(h, IFA_LOCAL, ip, 4);
  std::vector<AddrInfo> addrs;
  EXPECT_EQ(parse_addrs(r.buf, r.len, 9, 0, addrs), kReplyMore);
  EXPECT_FALSE(ends_dump(r.buf, r.len));
  r.msg(NLMSG_DONE, 9, sizeof(int));
  addrs.clear();
  EXPECT_EQ(parse_addrs(r.buf, r.len, 9, 0, addrs), kReplyDone);
  EXPECT_TRUE(ends_dump(r.buf, r.len));
  ASSERT_EQ(addrs.size(), 1u);
  EXPECT_EQ(addrs[0].net.str(), "10.66.0.1/24");
  EXPECT_EQ(addrs[0].index, 4);
}
