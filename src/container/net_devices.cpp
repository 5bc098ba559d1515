#include "container/net_devices.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/link.h>

#include <memory>
#include <string>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "linux/kernel.hpp"

namespace hull::container {
namespace {

// rtnetlink through libnl-route (linked statically; Debian has no libmnl.a): libnl numbers
// the requests, checks each reply's sequence number and port id, and waits for the ACK.
struct SockFree {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct LinkFree {
  void operator()(rtnl_link* l) const { rtnl_link_put(l); }
};
using Sock = std::unique_ptr<nl_sock, SockFree>;
using Link = std::unique_ptr<rtnl_link, LinkFree>;

Sock route_socket(const std::string& what) {
  Sock s(nl_socket_alloc());
  if (!s) throw Error(what + ": allocating a netlink socket");
  int err = nl_connect(s.get(), NETLINK_ROUTE);
  if (err < 0) throw Error(what + ": netlink socket: " + nl_geterror(err));
  return s;
}

Link new_link(const std::string& what) {
  Link l(rtnl_link_alloc());
  if (!l) throw Error(what + ": allocating a link");
  return l;
}

// One RTM_NEWLINK (libnl falls back to RTM_SETLINK on kernels that refuse it) changing the
// link with index as change says.
void change_link(nl_sock* sock, int index, rtnl_link* change, const std::string& what) {
  Link orig = new_link(what);
  rtnl_link_set_ifindex(orig.get(), index);
  int err = rtnl_link_change(sock, orig.get(), change, 0);
  if (err < 0) throw Error(what + ": " + nl_geterror(err));
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
  linux_::Fd netns(linux_::kernel().openat(AT_FDCWD, ns_path.c_str(), O_RDONLY | O_CLOEXEC, 0));
  if (!netns) throw Error::sys("config.json: /linux/netDevices: opening " + ns_path);
  Sock sock = route_socket("config.json: /linux/netDevices");
  for (const auto& [name, dev] : s.linux_->netDevices) {
    std::string where = "config.json: /linux/netDevices/" + name;
    unsigned index = ::if_nametoindex(name.c_str());
    if (index == 0) throw Error(where + ": no such interface on the host");
    // One request moves (and renames) the interface.
    std::string what = where + ": moving the interface into the container";
    Link change = new_link(what);
    rtnl_link_set_ns_fd(change.get(), netns.get());
    if (!dev.name.empty()) rtnl_link_set_name(change.get(), dev.name.c_str());
    change_link(sock.get(), static_cast<int>(index), change.get(), what);
  }
}

void bring_up_loopback() {
  const std::string what = "bringing up the loopback interface (lo)";
  Sock sock = route_socket(what);
  Link change = new_link(what);
  rtnl_link_set_flags(change.get(), IFF_UP);
  // The kernel makes lo first in every network namespace: its index is always 1.
  change_link(sock.get(), 1, change.get(), what);
}

}  // namespace hull::container
