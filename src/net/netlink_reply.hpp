// Reading rtnetlink answers: what Netlink gets back from the kernel, parsed without a socket
// (so the fuzz harness netlink-reply reaches every line of it). Each function takes one
// received buffer of the answer to request `seq` on socket `portid` and returns kMore (a dump
// goes on in the next buffer), kDone (an ack or NLMSG_DONE ends the answer), or a negative
// errno: the kernel's error, or EPROTO/ESRCH/EBADMSG for a foreign or malformed message.
// The buffer must be aligned for nlmsghdr, as a recv buffer is.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "linux/netlink.hpp"
#include "net/addr.hpp"

namespace hull::net {

// The generic part (results, acks, the end of a dump) is linux/netlink.hpp's.
using linux_::netlink::ends_dump;
using linux_::netlink::kReplyDone;
using linux_::netlink::kReplyMore;
using linux_::netlink::parse_ack;

struct LinkInfo {
  int index = 0;
  unsigned type = 0;  // ARPHRD_*
  std::string name;
  std::string kind;  // IFLA_INFO_KIND ("bridge", "veth", ...); empty for a physical device or lo

  // The kind in words for messages: the kind, or "loopback" / "physical" when there is none.
  std::string describe_kind() const;
};

struct AddrInfo {
  int index = 0;  // of the link the address is on
  Subnet net;     // the address with its prefix length (host bits kept in net.base)
};

// RTM_NEWLINK messages; messages of other types are skipped.
int parse_links(const void* buf, size_t len, unsigned seq, unsigned portid,
                std::vector<LinkInfo>& out);
// RTM_NEWADDR messages of AF_INET and AF_INET6; others are skipped.
int parse_addrs(const void* buf, size_t len, unsigned seq, unsigned portid,
                std::vector<AddrInfo>& out);

}  // namespace hull::net
