#include "linux/netlink.hpp"

#include <gtest/gtest.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "hull/error.hpp"
#include "temp_dir.hpp"

namespace {

using namespace hull::linux_::netlink;

// Replies built by hand, as the kernel lays them out, in an aligned buffer.
struct Reply {
  alignas(nlmsghdr) char buf[512] = {};
  size_t len = 0;
  nlmsghdr* add(uint16_t type, uint32_t seq, uint32_t pid, size_t payload, uint16_t flags = 0) {
    auto* h = reinterpret_cast<nlmsghdr*>(buf + len);
    h->nlmsg_len = static_cast<uint32_t>(NLMSG_LENGTH(payload));
    h->nlmsg_type = type;
    h->nlmsg_seq = seq;
    h->nlmsg_pid = pid;
    h->nlmsg_flags = flags;
    len += NLMSG_ALIGN(h->nlmsg_len);
    return h;
  }
  void error(uint32_t seq, uint32_t pid, int err) {
    nlmsghdr* h = add(NLMSG_ERROR, seq, pid, sizeof(nlmsgerr));
    reinterpret_cast<nlmsgerr*>(NLMSG_DATA(h))->error = err;
  }
};

TEST(NetlinkAck, SequenceAndPortAreChecked) {
  Reply ok;
  ok.error(7, 42, 0);
  EXPECT_EQ(parse_ack(ok.buf, ok.len, 7, 42), kReplyDone);
  EXPECT_EQ(parse_ack(ok.buf, ok.len, 8, 42), -EPROTO);  // another request's answer
  EXPECT_EQ(parse_ack(ok.buf, ok.len, 7, 43), -ESRCH);   // another socket's
  EXPECT_EQ(parse_ack(ok.buf, ok.len, 0, 0), kReplyDone);
}

TEST(NetlinkAck, ErrorsAndMalformedReplies) {
  Reply e;
  e.error(1, 0, -ENODEV);
  EXPECT_EQ(parse_ack(e.buf, e.len, 1, 0), -ENODEV);
  Reply odd;
  odd.error(1, 0, -100000);  // not an errno
  EXPECT_EQ(parse_ack(odd.buf, odd.len, 1, 0), -EPROTO);
  Reply cut;
  cut.add(NLMSG_ERROR, 1, 0, 2);  // too short for nlmsgerr
  EXPECT_EQ(parse_ack(cut.buf, cut.len, 1, 0), -EBADMSG);
  Reply huge;
  huge.add(NLMSG_DONE, 1, 0, 0)->nlmsg_len = 0x80000000u;
  EXPECT_EQ(parse_ack(huge.buf, huge.len, 1, 0), -EBADMSG);
  EXPECT_TRUE(ends_dump(huge.buf, huge.len));
  Reply intr;
  intr.add(RTM_NEWLINK, 1, 0, 16, NLM_F_DUMP_INTR);
  EXPECT_EQ(parse_ack(intr.buf, intr.len, 1, 0), -EINTR);
}

TEST(NetlinkAck, MultiPartAnswers) {
  Reply r;
  r.add(RTM_NEWLINK, 3, 0, 16, NLM_F_MULTI);
  EXPECT_EQ(parse_ack(r.buf, r.len, 3, 0), kReplyMore);  // data only: the ack is still to come
  EXPECT_FALSE(ends_dump(r.buf, r.len));
  r.add(NLMSG_DONE, 3, 0, sizeof(int), NLM_F_MULTI);
  EXPECT_EQ(parse_ack(r.buf, r.len, 3, 0), kReplyDone);
  EXPECT_TRUE(ends_dump(r.buf, r.len));
  Reply then_error;
  then_error.add(RTM_NEWLINK, 3, 0, 16, NLM_F_MULTI);
  then_error.error(3, 0, -EPERM);
  EXPECT_EQ(parse_ack(then_error.buf, then_error.len, 3, 0), -EPERM);
}

TEST(NetlinkRequest, AttributesAreCheckedForRoom) {
  Request r(RTM_NEWLINK, 0, "a test request");
  auto* ifi = r.put_fixed<ifinfomsg>();
  ifi->ifi_index = 5;
  r.put_u32(IFLA_MTU, 1500);
  r.put_string(IFLA_IFNAME, "eth0");
  EXPECT_EQ(r.header()->nlmsg_len, NLMSG_LENGTH(sizeof(ifinfomsg)) + 8 + NLA_ALIGN(4 + 5));
  std::string big(2000, 'x');
  try {
    r.put_string(IFLA_IFALIAS, big);
    FAIL() << "a request overflowed its buffer";
  } catch (const hull::Error& e) {
    EXPECT_NE(std::string(e.what()).find("a test request: the netlink request does not fit"),
              std::string::npos)
        << e.what();
  }
}

bool lo_is_up() {
  int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq ifr{};
  std::strcpy(ifr.ifr_name, "lo");
  bool up = s >= 0 && ::ioctl(s, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags & IFF_UP);
  if (s >= 0) ::close(s);
  return up;
}

Request link_request(int index, bool up, const std::string& what) {
  Request r(RTM_NEWLINK, 0, what);
  auto* ifi = r.put_fixed<ifinfomsg>();
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  ifi->ifi_flags = up ? IFF_UP : 0;
  ifi->ifi_change = IFF_UP;
  return r;
}

// A network namespace of the test's own (a child that unshares it): the kernel's real acks.
TEST(NetlinkSocket, KernelAcksAndErrorsInANewNetns) {
  std::string out = hull::linux_::test::in_child_namespaces(
      []() -> std::string {
        if (lo_is_up()) return "lo is up in a fresh namespace";
        Socket sock("test socket");
        if (sock.portid() == 0) return "no port id";
        // An error ack: no link with this index. The message names the request.
        Request missing = link_request(4242, true, "setting link 4242 up");
        try {
          sock.request_or_throw(missing);
          return "a missing link was acked";
        } catch (const hull::Error& e) {
          if (std::string(e.what()) != "setting link 4242 up: " + std::string(strerror(ENODEV)))
            return std::string("unexpected message: ") + e.what();
        }
        // The same socket goes on: the next request reads its own answer.
        Request lo = link_request(1, true, "setting lo up");
        sock.request_or_throw(lo);
        if (!lo_is_up()) return "lo is not up after its ack";
        Request down = link_request(1, false, "setting lo down");
        down.header()->nlmsg_flags |= NLM_F_ACK;
        if (int rc = sock.request(down.header()); rc != 0) return "lo down: " + std::to_string(rc);
        if (lo_is_up()) return "lo is still up";
        // A dump in several parts, ended by NLMSG_DONE.
        Request dump(RTM_GETLINK, NLM_F_DUMP, "dumping links");
        dump.put_fixed<ifinfomsg>();
        int buffers = 0;
        int rc = sock.exchange(dump.header(), false,
                               [&](const void* buf, size_t len, unsigned seq, unsigned portid) {
                                 ++buffers;
                                 return parse_ack(buf, len, seq, portid);
                               });
        if (rc != 0 || buffers < 1) return "dump: " + std::to_string(rc);
        return "";
      },
      true);
  EXPECT_EQ(out, "");
}

}  // namespace
