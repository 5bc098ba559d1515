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

#include "net/addr.hpp"

namespace hull::net {

inline constexpr int kReplyMore = 1;
inline constexpr int kReplyDone = 0;

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

// Whether the buffer holds the end of a dump (NLMSG_DONE or an error): what is left of an
// interrupted dump is read up to there, so the next request reads its own answer.
bool ends_dump(const void* buf, size_t len);

int parse_ack(const void* buf, size_t len, unsigned seq, unsigned portid);
// RTM_NEWLINK messages; messages of other types are skipped.
int parse_links(const void* buf, size_t len, unsigned seq, unsigned portid,
                std::vector<LinkInfo>& out);
// RTM_NEWADDR messages of AF_INET and AF_INET6; others are skipped.
int parse_addrs(const void* buf, size_t len, unsigned seq, unsigned portid,
                std::vector<AddrInfo>& out);

}  // namespace hull::net
