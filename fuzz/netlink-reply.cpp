// What the kernel answers on an rtnetlink socket, as oci-bridge reads it (net/netlink_reply):
// acks and errors, link answers (index, name, kind) and address dumps. The input is copied to
// a buffer of its exact size, aligned as a recv buffer is, so a read past its end is caught.
// The first byte picks the sequence number the reply must carry (0: any). Nothing here may
// throw; a crash or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include "net/netlink_reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  unsigned seq = data[0];
  size_t len = size - 1;
  // Exactly len bytes from an aligned start, so ASan flags any read past the reply's end.
  auto* buf = static_cast<char*>(::operator new(len == 0 ? 1 : len, std::align_val_t(8)));
  std::memcpy(buf, data + 1, len);
  int rc = hull::net::parse_ack(buf, len, seq, 0);
  std::vector<hull::net::LinkInfo> links;
  int rl = hull::net::parse_links(buf, len, seq, 0, links);
  std::vector<hull::net::AddrInfo> addrs;
  int ra = hull::net::parse_addrs(buf, len, seq, 0, addrs);
  (void)hull::net::ends_dump(buf, len);
  for (auto& l : links) (void)l.describe_kind();
  for (auto& a : addrs)
    if (a.net.prefix > (a.net.base.v4() ? 32 : 128)) std::abort();
  for (int r : {rc, rl, ra})
    if (r > 1 || r < -4095) std::abort();
  ::operator delete(buf, std::align_val_t(8));
  return 0;
}
