#include "container/net_devices.hpp"

#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "hull/error.hpp"
#include "linux/fd.hpp"

namespace hull::container {
namespace {

struct Request {
  struct nlmsghdr nh;
  struct ifinfomsg ifi;
  char attrs[64];
};

void add_attr(Request& r, unsigned short type, const void* data, size_t len) {
  auto* rta =
      reinterpret_cast<struct rtattr*>(reinterpret_cast<char*>(&r) + NLMSG_ALIGN(r.nh.nlmsg_len));
  rta->rta_type = type;
  rta->rta_len = static_cast<unsigned short>(RTA_LENGTH(len));
  std::memcpy(RTA_DATA(rta), data, len);
  r.nh.nlmsg_len = NLMSG_ALIGN(r.nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

Request new_link(unsigned index) {
  Request r = {};
  r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg));
  r.nh.nlmsg_type = RTM_NEWLINK;
  r.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
  r.nh.nlmsg_seq = 1;
  r.ifi.ifi_family = AF_UNSPEC;
  r.ifi.ifi_index = static_cast<int>(index);
  return r;
}

// Sends one request; the kernel's ack tells the result. `what` names it in an error.
void send_and_ack(int sock, const Request& r, const std::string& what) {
  if (::send(sock, &r, r.nh.nlmsg_len, 0) < 0) throw Error::sys(what + ": netlink send");
  char buf[4096];
  ssize_t n = ::recv(sock, buf, sizeof(buf), 0);
  if (n < 0) throw Error::sys(what + ": netlink receive");
  auto* nh = reinterpret_cast<struct nlmsghdr*>(buf);
  if (!NLMSG_OK(nh, static_cast<unsigned>(n)) || nh->nlmsg_type != NLMSG_ERROR) {
    throw Error(what + ": unexpected netlink reply");
  }
  int err = -reinterpret_cast<struct nlmsgerr*>(NLMSG_DATA(nh))->error;
  if (err != 0) throw Error::sys(what, err);
}

linux_::Fd route_socket(const std::string& what) {
  linux_::Fd sock(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!sock) throw Error::sys(what + ": netlink socket");
  return sock;
}

// One RTM_NEWLINK that moves (and renames) the interface.
void move_one(int sock, unsigned index, int netns_fd, const std::string& new_name,
              const std::string& where) {
  Request r = new_link(index);
  uint32_t fd = static_cast<uint32_t>(netns_fd);
  add_attr(r, IFLA_NET_NS_FD, &fd, sizeof(fd));
  if (!new_name.empty()) add_attr(r, IFLA_IFNAME, new_name.c_str(), new_name.size() + 1);
  send_and_ack(sock, r, where + ": moving the interface into the container");
}

}  // namespace

void check_net_devices(const spec::Spec& s) {
  if (!s.linux_) return;
  for (const auto& [name, dev] : s.linux_->netDevices) {
    if (::if_nametoindex(name.c_str()) == 0) {
      throw Error("config.json: /linux/netDevices/" + name + ": no such interface on the host");
    }
  }
}

void move_net_devices(const spec::Spec& s, pid_t pid) {
  if (!s.linux_ || s.linux_->netDevices.empty()) return;
  std::string ns_path = "/proc/" + std::to_string(pid) + "/ns/net";
  linux_::Fd netns(::open(ns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!netns) throw Error::sys("config.json: /linux/netDevices: opening " + ns_path);
  linux_::Fd sock = route_socket("config.json: /linux/netDevices");
  for (const auto& [name, dev] : s.linux_->netDevices) {
    std::string where = "config.json: /linux/netDevices/" + name;
    unsigned index = ::if_nametoindex(name.c_str());
    if (index == 0) throw Error(where + ": no such interface on the host");
    move_one(sock.get(), index, netns.get(), dev.name, where);
  }
}

void bring_up_loopback() {
  const std::string what = "bringing up the loopback interface (lo)";
  // The kernel makes lo first in every network namespace: its index is always 1.
  Request r = new_link(1);
  r.ifi.ifi_flags = IFF_UP;
  r.ifi.ifi_change = IFF_UP;
  linux_::Fd sock = route_socket(what);
  send_and_ack(sock.get(), r, what);
}

}  // namespace hull::container
