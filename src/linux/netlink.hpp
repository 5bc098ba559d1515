// rtnetlink's plumbing, the one way hull and oci-bridge talk to the kernel's network stack: a
// bound socket that owns its fd, numbers its requests and only takes answers that are the
// kernel's to that request (sequence number and port id checked), error and ACK messages,
// answers in several parts (dumps), and a small checked builder for requests. Written without
// libmnl because the hull runtime links fully static and Debian ships libmnl only as a shared
// library; oci-bridge still builds its larger requests and parses dumps with libmnl on top.
#pragma once

#include <linux/netlink.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "linux/fd.hpp"

namespace hull::linux_::netlink {

// What a reply parser returns for one received buffer: more to come, the answer is complete,
// or a negative errno (the kernel's error; EPROTO for another request's answer, ESRCH for
// another socket's, EBADMSG for a malformed message, EINTR for a dump the kernel interrupted).
inline constexpr int kReplyMore = 1;
inline constexpr int kReplyDone = 0;

// Whether every message's length fits the buffer (checked in size_t: a length of 2 GiB or more
// must not wrap).
bool well_formed(const void* buf, size_t len);
// Whether the buffer holds the end of a dump (NLMSG_DONE or an error): what is left of an
// interrupted dump is read up to there, so the next request reads its own answer.
bool ends_dump(const void* buf, size_t len);
// The ACK of request seq on socket portid (0 for either: not checked): kReplyDone for a zero
// error, -errno for an error message, kReplyMore when the buffer holds neither. Data messages
// are skipped. The buffer must be aligned for nlmsghdr, as a receive buffer is.
int parse_ack(const void* buf, size_t len, unsigned seq, unsigned portid);

// A request being built: header, the fixed part of its family, attributes. Every put checks
// the room left and throws hull::Error naming the request when it is full.
class Request {
 public:
  Request(uint16_t type, uint16_t flags, std::string what);
  // The fixed part (ifinfomsg, ifaddrmsg, ...), zeroed; call once, before any attribute.
  template <typename T>
  T* put_fixed() {
    return static_cast<T*>(put_raw(sizeof(T)));
  }
  void put_attr(uint16_t type, const void* data, size_t len);
  void put_u32(uint16_t type, uint32_t value) { put_attr(type, &value, sizeof(value)); }
  void put_string(uint16_t type, std::string_view s);  // with its NUL
  nlmsghdr* header() { return reinterpret_cast<nlmsghdr*>(buf_); }
  const std::string& what() const { return what_; }

 private:
  void* put_raw(size_t len);
  alignas(nlmsghdr) char buf_[1024];
  std::string what_;
};

class Socket {
 public:
  // A socket of protocol (NETLINK_ROUTE) in the caller's network namespace, bound to a port
  // id the kernel picks. Throws naming `what`.
  explicit Socket(const std::string& what, int protocol = NETLINK_ROUTE);
  unsigned portid() const { return portid_; }

  using Parse = std::function<int(const void* buf, size_t len, unsigned seq, unsigned portid)>;
  // Gives msg the next sequence number, sends it, and hands each buffer the kernel answers to
  // parse until it returns kReplyDone or an error (after the first buffer with one_buffer).
  // A dump the kernel interrupted is read to its end first. Returns 0 or -errno.
  int exchange(nlmsghdr* msg, bool one_buffer, const Parse& parse);
  // exchange with parse_ack: msg must ask for an ACK (NLM_F_ACK).
  int request(nlmsghdr* msg);
  // request, throwing hull::Error::sys naming the request when the kernel refuses it.
  void request_or_throw(Request& r);

 private:
  // One datagram from the kernel; -errno on failure, ENOSPC when it did not fit the buffer.
  ssize_t receive();
  Fd fd_;
  unsigned portid_ = 0;
  unsigned seq_ = 0;
  alignas(nlmsghdr) char reply_[32768];
};

}  // namespace hull::linux_::netlink
