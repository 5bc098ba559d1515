#include "net/netlink_reply.hpp"

#include <libmnl/libmnl.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace hull::net {

std::string LinkInfo::describe_kind() const {
  if (!kind.empty()) return kind;
  return type == ARPHRD_LOOPBACK ? "loopback" : "physical";
}

namespace {

// What a data callback gets: where the buffer ends (libmnl checks a message's length against
// the buffer, but walks its attributes up to the length rounded up to 4) and what to fill.
template <typename T>
struct Walk {
  const char* end;
  std::vector<T>* out;
};

int fail(int err) {
  errno = err;
  return MNL_CB_ERROR;
}

bool fits(const nlmsghdr* h, const char* end) {
  return reinterpret_cast<const char*>(h) + MNL_ALIGN(h->nlmsg_len) <= end;
}

std::string attr_string(const nlattr* a) {
  auto* p = static_cast<const char*>(mnl_attr_get_payload(a));
  return std::string(p, ::strnlen(p, mnl_attr_get_payload_len(a)));
}

int link_info_attr(const nlattr* a, void* data) {
  if (mnl_attr_get_type(a) == IFLA_INFO_KIND) static_cast<LinkInfo*>(data)->kind = attr_string(a);
  return MNL_CB_OK;
}

int link_attr(const nlattr* a, void* data) {
  auto* link = static_cast<LinkInfo*>(data);
  switch (mnl_attr_get_type(a)) {
    case IFLA_IFNAME:
      link->name = attr_string(a);
      break;
    case IFLA_LINKINFO:
      return mnl_attr_parse_nested(a, link_info_attr, link);
  }
  return MNL_CB_OK;
}

int link_msg(const nlmsghdr* h, void* data) {
  auto* walk = static_cast<Walk<LinkInfo>*>(data);
  if (!fits(h, walk->end)) return fail(EBADMSG);
  if (h->nlmsg_type != RTM_NEWLINK) return MNL_CB_OK;
  if (mnl_nlmsg_get_payload_len(h) < sizeof(ifinfomsg)) return fail(EBADMSG);
  auto* ifi = static_cast<const ifinfomsg*>(mnl_nlmsg_get_payload(h));
  LinkInfo link;
  link.index = ifi->ifi_index;
  link.type = ifi->ifi_type;
  if (mnl_attr_parse(h, sizeof(ifinfomsg), link_attr, &link) == MNL_CB_ERROR) return fail(EBADMSG);
  walk->out->push_back(std::move(link));
  return MNL_CB_OK;
}

struct AddrAttrs {
  const nlattr* local = nullptr;
  const nlattr* address = nullptr;
};

int addr_attr(const nlattr* a, void* data) {
  auto* attrs = static_cast<AddrAttrs*>(data);
  if (mnl_attr_get_type(a) == IFA_LOCAL) attrs->local = a;
  if (mnl_attr_get_type(a) == IFA_ADDRESS) attrs->address = a;
  return MNL_CB_OK;
}

int addr_msg(const nlmsghdr* h, void* data) {
  auto* walk = static_cast<Walk<AddrInfo>*>(data);
  if (!fits(h, walk->end)) return fail(EBADMSG);
  if (h->nlmsg_type != RTM_NEWADDR) return MNL_CB_OK;
  if (mnl_nlmsg_get_payload_len(h) < sizeof(ifaddrmsg)) return fail(EBADMSG);
  auto* ifa = static_cast<const ifaddrmsg*>(mnl_nlmsg_get_payload(h));
  size_t len = ifa->ifa_family == AF_INET ? 4 : ifa->ifa_family == AF_INET6 ? 16 : 0;
  if (len == 0) return MNL_CB_OK;
  if (ifa->ifa_prefixlen > len * 8) return fail(EBADMSG);
  AddrAttrs attrs;
  if (mnl_attr_parse(h, sizeof(ifaddrmsg), addr_attr, &attrs) == MNL_CB_ERROR) return fail(EBADMSG);
  // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer's on a point-to-point
  // link, and the only one IPv6 sends otherwise.
  const nlattr* a = attrs.local ? attrs.local : attrs.address;
  if (!a) return MNL_CB_OK;
  if (mnl_attr_get_payload_len(a) != len) return fail(EBADMSG);
  AddrInfo info;
  info.index = static_cast<int>(ifa->ifa_index);
  info.net.base.family = ifa->ifa_family;
  std::memcpy(info.net.base.bytes.data(), mnl_attr_get_payload(a), len);
  info.net.prefix = ifa->ifa_prefixlen;
  walk->out->push_back(info);
  return MNL_CB_OK;
}

int result(int rc) {
  if (rc == MNL_CB_STOP) return kReplyDone;
  if (rc != MNL_CB_ERROR) return kReplyMore;
  int err = errno;
  // An error reply carries any int; only a real errno may leave here.
  if (err <= 0 || err > 4095) err = EPROTO;
  return -err;
}

template <typename T>
int run(const void* buf, size_t len, unsigned seq, unsigned portid, mnl_cb_t cb,
        std::vector<T>* out) {
  // libmnl compares a message's length to what is left as an int: checked first, in size_t.
  if (!linux_::netlink::well_formed(buf, len)) return -EBADMSG;
  Walk<T> walk{static_cast<const char*>(buf) + len, out};
  return result(mnl_cb_run(buf, len, seq, portid, cb, out ? &walk : nullptr));
}

}  // namespace

int parse_links(const void* buf, size_t len, unsigned seq, unsigned portid,
                std::vector<LinkInfo>& out) {
  return run(buf, len, seq, portid, link_msg, &out);
}

int parse_addrs(const void* buf, size_t len, unsigned seq, unsigned portid,
                std::vector<AddrInfo>& out) {
  return run(buf, len, seq, portid, addr_msg, &out);
}

}  // namespace hull::net
