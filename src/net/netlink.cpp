#include "net/netlink.hpp"

#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "hull/error.hpp"
#include "net/files.hpp"

namespace hull::net {

namespace {

ifinfomsg* put_ifinfo(nlmsghdr* nlh, int family = AF_UNSPEC) {
  auto* ifi = static_cast<ifinfomsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg)));
  ifi->ifi_family = static_cast<unsigned char>(family);
  return ifi;
}

}  // namespace

Netlink::Netlink() : sock_(std::make_unique<linux_::netlink::Socket>("rtnetlink")) {}

Netlink::Netlink(const std::string& ns_path) {
  Fd target(::open(ns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!target) throw Error::sys("opening network namespace " + ns_path);
  Fd self(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (!self) throw Error::sys("opening own network namespace");
  if (::setns(target.get(), CLONE_NEWNET) != 0)
    throw Error::sys("entering network namespace " + ns_path);
  try {
    sock_ = std::make_unique<linux_::netlink::Socket>("rtnetlink in " + ns_path);
  } catch (...) {
    if (::setns(self.get(), CLONE_NEWNET) != 0) std::abort();
    throw;
  }
  // Staying in the container's namespace would make every later step wrong; better to die.
  if (::setns(self.get(), CLONE_NEWNET) != 0) std::abort();
}

nlmsghdr* Netlink::start(uint16_t type, uint16_t flags) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf_);
  nlh->nlmsg_type = type;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  return nlh;
}

int Netlink::request(nlmsghdr* nlh) {
  return sock_->request(nlh);
}

std::optional<LinkInfo> Netlink::link(const std::string& name) {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf_);
  nlh->nlmsg_type = RTM_GETLINK;
  nlh->nlmsg_flags = NLM_F_REQUEST;
  put_ifinfo(nlh);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  std::vector<LinkInfo> links;
  int rc =
      sock_->exchange(nlh, true, [&](const void* buf, size_t len, unsigned seq, unsigned portid) {
        return parse_links(buf, len, seq, portid, links);
      });
  if (rc == -ENODEV) return std::nullopt;
  if (rc < 0) throw Error::sys("asking for link " + name, -rc);
  if (links.empty()) throw Error("asking for link " + name + ": the kernel sent no link");
  return links.front();
}

int Netlink::link_index(const std::string& name) {
  auto l = link(name);
  return l ? l->index : 0;
}

std::vector<AddrInfo> Netlink::addresses() {
  nlmsghdr* nlh = mnl_nlmsg_put_header(buf_);
  nlh->nlmsg_type = RTM_GETADDR;
  nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = AF_UNSPEC;
  std::vector<AddrInfo> out;
  // A dump interrupted by a change (another container's bridge or veth coming up) is asked
  // again; changes come in bursts, so this ends.
  for (int rc = -EINTR;;) {
    out.clear();
    rc = sock_->exchange(nlh, false,
                         [&](const void* buf, size_t len, unsigned seq, unsigned portid) {
                           return parse_addrs(buf, len, seq, portid, out);
                         });
    if (rc == 0) return out;
    if (rc != -EINTR) throw Error::sys("listing the host's addresses", -rc);
  }
}

nlattr* Netlink::start_new_link(nlmsghdr*& nlh, const std::string& name, unsigned mtu,
                                const char* kind) {
  nlh = start(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
  ifinfomsg* ifi = put_ifinfo(nlh);
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
  nlattr* info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
  mnl_attr_put_strz(nlh, IFLA_INFO_KIND, kind);
  return info;
}

bool Netlink::ensure_bridge(const std::string& name, unsigned mtu) {
  nlmsghdr* nlh = nullptr;
  // Two statements: in one call the order of evaluating nlh and start_new_link's filling of
  // it is unspecified (clang reads nlh first, still null).
  nlattr* info = start_new_link(nlh, name, mtu, "bridge");
  mnl_attr_nest_end(nlh, info);
  int rc = request(nlh);
  if (rc == 0) return true;
  if (rc != -EEXIST) throw Error::sys("creating bridge " + name, -rc);
  // Addresses must never land on a veth, lo or an uplink that happens to have the name.
  auto existing = link(name);
  if (existing && existing->kind != "bridge")
    throw Error("bridge \"" + name + "\" exists and is not a bridge (kind " +
                existing->describe_kind() + ")");
  return false;
}

void Netlink::create_veth(const std::string& host, int master, const std::string& peer, int ns_fd,
                          const Mac& mac, unsigned mtu) {
  nlmsghdr* nlh = nullptr;
  nlattr* info = start_new_link(nlh, host, mtu, "veth");
  nlattr* data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
  nlattr* peer_attr = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
  // The peer cannot be set up here: it is configured before its other end exists (ENOTCONN).
  mnl_nlmsg_put_extra_header(nlh, sizeof(ifinfomsg));
  mnl_attr_put_strz(nlh, IFLA_IFNAME, peer.c_str());
  mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
  mnl_attr_put(nlh, IFLA_ADDRESS, mac.size(), mac.data());
  mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, static_cast<uint32_t>(ns_fd));
  mnl_attr_nest_end(nlh, peer_attr);
  mnl_attr_nest_end(nlh, data);
  mnl_attr_nest_end(nlh, info);
  mnl_attr_put_u32(nlh, IFLA_MASTER, static_cast<uint32_t>(master));
  int rc = request(nlh);
  if (rc != 0) throw Error::sys("creating veth pair " + host + " / " + peer, -rc);
}

bool Netlink::delete_link(const std::string& name) {
  nlmsghdr* nlh = start(RTM_DELLINK, 0);
  put_ifinfo(nlh);
  mnl_attr_put_strz(nlh, IFLA_IFNAME, name.c_str());
  int rc = request(nlh);
  if (rc == -ENODEV) return false;
  if (rc != 0) throw Error::sys("deleting link " + name, -rc);
  return true;
}

void Netlink::set_up(int index) {
  nlmsghdr* nlh = start(RTM_NEWLINK, 0);
  ifinfomsg* ifi = put_ifinfo(nlh);
  ifi->ifi_index = index;
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  int rc = request(nlh);
  if (rc != 0) throw Error::sys("setting link " + std::to_string(index) + " up", -rc);
}

void Netlink::set_hairpin(int index) {
  nlmsghdr* nlh = start(RTM_SETLINK, 0);
  ifinfomsg* ifi = put_ifinfo(nlh, AF_BRIDGE);
  ifi->ifi_index = index;
  nlattr* prot = mnl_attr_nest_start(nlh, IFLA_PROTINFO);
  mnl_attr_put_u8(nlh, IFLA_BRPORT_MODE, 1);
  mnl_attr_nest_end(nlh, prot);
  int rc = request(nlh);
  if (rc != 0) throw Error::sys("turning on hairpin mode of link " + std::to_string(index), -rc);
}

nlmsghdr* Netlink::put_addr(uint16_t type, uint16_t flags, int index, const IpAddr& addr,
                            int prefix) {
  nlmsghdr* nlh = start(type, flags);
  auto* ifa = static_cast<ifaddrmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(ifaddrmsg)));
  ifa->ifa_family = static_cast<unsigned char>(addr.family);
  ifa->ifa_prefixlen = static_cast<unsigned char>(prefix);
  ifa->ifa_index = static_cast<unsigned>(index);
  size_t len = addr.v4() ? 4 : 16;
  mnl_attr_put(nlh, IFA_LOCAL, len, addr.bytes.data());
  mnl_attr_put(nlh, IFA_ADDRESS, len, addr.bytes.data());
  return nlh;
}

bool Netlink::add_address(int index, const IpAddr& addr, int prefix) {
  // No NLM_F_REPLACE: an address already there answers EEXIST, which tells a failed setup
  // whether the address is its own to remove.
  nlmsghdr* nlh = put_addr(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, index, addr, prefix);
  if (!addr.v4()) {
    // Duplicate detection would hold the address back for a second or more; IPAM already
    // guarantees it is unique on this bridge.
    static_cast<ifaddrmsg*>(mnl_nlmsg_get_payload(nlh))->ifa_flags = IFA_F_NODAD;
    mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
  }
  int rc = request(nlh);
  if (rc == -EEXIST) return false;
  if (rc != 0) throw Error::sys("adding address " + addr.str() + "/" + std::to_string(prefix), -rc);
  return true;
}

bool Netlink::delete_address(int index, const IpAddr& addr, int prefix) {
  int rc = request(put_addr(RTM_DELADDR, 0, index, addr, prefix));
  if (rc == -EADDRNOTAVAIL || rc == -ENODEV) return false;
  if (rc != 0)
    throw Error::sys("removing address " + addr.str() + "/" + std::to_string(prefix), -rc);
  return true;
}

void Netlink::add_default_route(int index, const IpAddr& gateway) {
  nlmsghdr* nlh = start(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
  auto* rtm = static_cast<rtmsg*>(mnl_nlmsg_put_extra_header(nlh, sizeof(rtmsg)));
  rtm->rtm_family = static_cast<unsigned char>(gateway.family);
  rtm->rtm_table = RT_TABLE_MAIN;
  rtm->rtm_protocol = RTPROT_BOOT;
  rtm->rtm_scope = RT_SCOPE_UNIVERSE;
  rtm->rtm_type = RTN_UNICAST;
  mnl_attr_put(nlh, RTA_GATEWAY, gateway.v4() ? 4 : 16, gateway.bytes.data());
  mnl_attr_put_u32(nlh, RTA_OIF, static_cast<uint32_t>(index));
  int rc = request(nlh);
  if (rc != 0) throw Error::sys("adding default route via " + gateway.str(), -rc);
}

}  // namespace hull::net
