// rtnetlink (requests built with libmnl, sent through linux/netlink.hpp's socket): the handful of
// link, address and route requests a bridge network needs. One socket per network namespace; a
// socket made inside a container's netns keeps working there after the process returns to its own.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "linux/netlink.hpp"
#include "net/addr.hpp"
#include "net/netlink_reply.hpp"

struct nlmsghdr;
struct nlattr;

namespace hull::net {

using Mac = std::array<uint8_t, 6>;

class Netlink {
 public:
  // A socket in the caller's network namespace.
  Netlink();
  // A socket in the network namespace at ns_path (e.g. /proc/PID/ns/net).
  explicit Netlink(const std::string& ns_path);
  Netlink(const Netlink&) = delete;
  Netlink& operator=(const Netlink&) = delete;

  // 0 when there is no such link.
  int link_index(const std::string& name);
  // The link called name (index, kind, type); nullopt when there is none.
  std::optional<LinkInfo> link(const std::string& name);
  // Every IPv4 and IPv6 address in the namespace.
  std::vector<AddrInfo> addresses();
  // Creates a bridge; true when it made it, false when a bridge of that name was there (left
  // as it is). An existing link of another kind is an error naming its kind.
  bool ensure_bridge(const std::string& name, unsigned mtu);
  // A veth pair: `host` up on bridge `master`, its peer created directly inside the namespace
  // of ns_fd as `peer` with MAC `mac` (still down).
  void create_veth(const std::string& host, int master, const std::string& peer, int ns_fd,
                   const Mac& mac, unsigned mtu);
  // Deletes a link; false when it did not exist.
  bool delete_link(const std::string& name);
  void set_up(int index);
  void set_hairpin(int index);
  // Adds addr/prefix to link index; true when it added it, false when it was already there.
  bool add_address(int index, const IpAddr& addr, int prefix);
  // Removes addr/prefix from link index; false when it was not there.
  bool delete_address(int index, const IpAddr& addr, int prefix);
  void add_default_route(int index, const IpAddr& gateway);

 private:
  // Sends the request in buf_ and waits for its ack; returns 0 or the negative errno.
  int request(nlmsghdr* nlh);
  nlmsghdr* put_addr(uint16_t type, uint16_t flags, int index, const IpAddr& addr, int prefix);
  nlmsghdr* start(uint16_t type, uint16_t flags);
  // An RTM_NEWLINK creating NAME (up) of KIND; returns the open IFLA_LINKINFO nest.
  nlattr* start_new_link(nlmsghdr*& nlh, const std::string& name, unsigned mtu, const char* kind);

  // The socket, its sequence numbers, port id checks and acks: linux/netlink.hpp.
  std::unique_ptr<linux_::netlink::Socket> sock_;
  alignas(8) char buf_[8192];
};

}  // namespace hull::net
