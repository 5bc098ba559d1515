#include "container/net_devices.hpp"

#include <fcntl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sys/socket.h>

#include <string>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "linux/kernel.hpp"
#include "linux/netlink.hpp"

namespace hull::container {
namespace {

// An RTM_NEWLINK for the link with index; `what` names it in errors.
linux_::netlink::Request new_link(unsigned index, const std::string& what) {
  linux_::netlink::Request r(RTM_NEWLINK, 0, what);
  auto* ifi = r.put_fixed<ifinfomsg>();
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = static_cast<int>(index);
  return r;
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
  linux_::netlink::Socket sock("config.json: /linux/netDevices");
  for (const auto& [name, dev] : s.linux_->netDevices) {
    std::string where = "config.json: /linux/netDevices/" + name;
    unsigned index = ::if_nametoindex(name.c_str());
    if (index == 0) throw Error(where + ": no such interface on the host");
    // One RTM_NEWLINK moves (and renames) the interface.
    auto r = new_link(index, where + ": moving the interface into the container");
    r.put_u32(IFLA_NET_NS_FD, static_cast<uint32_t>(netns.get()));
    if (!dev.name.empty()) r.put_string(IFLA_IFNAME, dev.name);
    sock.request_or_throw(r);
  }
}

void bring_up_loopback() {
  const std::string what = "bringing up the loopback interface (lo)";
  // The kernel makes lo first in every network namespace: its index is always 1.
  auto r = new_link(1, what);
  auto* ifi = reinterpret_cast<ifinfomsg*>(NLMSG_DATA(r.header()));
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  linux_::netlink::Socket sock(what);
  sock.request_or_throw(r);
}

}  // namespace hull::container
