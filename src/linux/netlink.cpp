#include "linux/netlink.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <ctime>

#include "hull/error.hpp"

namespace hull::linux_::netlink {
namespace {

constexpr size_t align(size_t n) {
  return NLMSG_ALIGN(n);
}

// Only a real errno may leave: an error message carries any int.
int as_errno(int64_t err) {
  if (err < 0) err = -err;
  return err <= 0 || err > 4095 ? EPROTO : static_cast<int>(err);
}

}  // namespace

bool well_formed(const void* buf, size_t len) {
  if (len > INT32_MAX) return false;
  auto* p = static_cast<const char*>(buf);
  for (size_t off = 0; len - off >= sizeof(nlmsghdr);) {
    nlmsghdr h;
    std::memcpy(&h, p + off, sizeof(h));
    if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > len - off) return false;
    off += align(h.nlmsg_len);
    if (off >= len) break;
  }
  return true;
}

// Calls each(h) for every whole message in the buffer, in order, while it returns true.
template <typename Each>
void for_each_message(const void* buf, size_t len, Each each) {
  auto* p = static_cast<const char*>(buf);
  int64_t left = static_cast<int64_t>(len);
  while (left >= static_cast<int64_t>(sizeof(nlmsghdr))) {
    auto* h = reinterpret_cast<const nlmsghdr*>(p);
    if (h->nlmsg_len < sizeof(nlmsghdr) || static_cast<int64_t>(h->nlmsg_len) > left) return;
    if (!each(h)) return;
    left -= static_cast<int64_t>(align(h->nlmsg_len));
    p += align(h->nlmsg_len);
  }
}

bool ends_dump(const void* buf, size_t len) {
  // A malformed buffer ends what can be read of the dump too.
  if (!well_formed(buf, len)) return true;
  bool end = false;
  for_each_message(buf, len, [&](const nlmsghdr* h) {
    end = h->nlmsg_type == NLMSG_DONE || h->nlmsg_type == NLMSG_ERROR;
    return !end;
  });
  return end;
}

int parse_ack(const void* buf, size_t len, unsigned seq, unsigned portid) {
  if (!well_formed(buf, len)) return -EBADMSG;
  int rc = kReplyMore;
  for_each_message(buf, len, [&](const nlmsghdr* h) {
    if (h->nlmsg_pid != 0 && portid != 0 && h->nlmsg_pid != portid) {
      rc = -ESRCH;  // another socket's message
    } else if (h->nlmsg_seq != 0 && seq != 0 && h->nlmsg_seq != seq) {
      rc = -EPROTO;  // the answer to another request
    } else if (h->nlmsg_flags & NLM_F_DUMP_INTR) {
      rc = -EINTR;
    } else if (h->nlmsg_type == NLMSG_DONE) {
      rc = kReplyDone;
    } else if (h->nlmsg_type == NLMSG_ERROR) {
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(nlmsgerr))) {
        rc = -EBADMSG;
      } else {
        int err;
        std::memcpy(&err, NLMSG_DATA(h), sizeof(err));
        rc = err == 0 ? kReplyDone : -as_errno(err);
      }
    }
    return rc == kReplyMore;
  });
  return rc;
}

Request::Request(uint16_t type, uint16_t flags, std::string what) : buf_{}, what_(std::move(what)) {
  nlmsghdr* h = header();
  h->nlmsg_len = NLMSG_HDRLEN;
  h->nlmsg_type = type;
  h->nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | flags);
}

void* Request::put_raw(size_t len) {
  nlmsghdr* h = header();
  size_t at = align(h->nlmsg_len);
  if (len > sizeof(buf_) || at > sizeof(buf_) - align(len)) {
    throw Error(what_ + ": the netlink request does not fit in " + std::to_string(sizeof(buf_)) +
                " bytes");
  }
  std::memset(buf_ + at, 0, align(len));
  h->nlmsg_len = static_cast<uint32_t>(at + align(len));  // padded, as libmnl and iproute2 send
  return buf_ + at;
}

void Request::put_attr(uint16_t type, const void* data, size_t len) {
  if (len > UINT16_MAX - NLA_HDRLEN) throw Error(what_ + ": netlink attribute too long");
  auto* a = static_cast<nlattr*>(put_raw(NLA_HDRLEN + len));
  a->nla_type = type;
  a->nla_len = static_cast<uint16_t>(NLA_HDRLEN + len);
  if (len) std::memcpy(reinterpret_cast<char*>(a) + NLA_HDRLEN, data, len);
}

void Request::put_string(uint16_t type, std::string_view s) {
  std::string z(s);
  put_attr(type, z.c_str(), z.size() + 1);
}

Socket::Socket(const std::string& what, int protocol)
    : fd_(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol)) {
  if (!fd_) throw Error::sys(what + ": opening a netlink socket");
  sockaddr_nl addr{};
  addr.nl_family = AF_NETLINK;  // nl_pid 0: the kernel picks a free port id
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    throw Error::sys(what + ": binding a netlink socket");
  }
  socklen_t len = sizeof(addr);
  if (::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len) != 0 ||
      len != sizeof(addr)) {
    throw Error::sys(what + ": reading the netlink socket's port id");
  }
  portid_ = addr.nl_pid;
  // A starting point that differs between runs, as libmnl users take time(NULL): a stale
  // answer left from another socket's life is never taken for ours.
  seq_ = static_cast<unsigned>(::time(nullptr));
}

ssize_t Socket::receive() {
  for (;;) {
    sockaddr_nl from{};
    iovec iov{reply_, sizeof(reply_)};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof(from);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    ssize_t n = ::recvmsg(fd_.get(), &msg, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -errno;
    if (msg.msg_flags & MSG_TRUNC) return -ENOSPC;
    // Only the kernel (port 0) answers requests; anything else sent to our port is not ours.
    if (msg.msg_namelen != sizeof(from) || from.nl_pid != 0) continue;
    return n;
  }
}

int Socket::exchange(nlmsghdr* msg, bool one_buffer, const Parse& parse) {
  msg->nlmsg_seq = ++seq_;
  if (msg->nlmsg_seq == 0) msg->nlmsg_seq = ++seq_;  // 0 would turn the sequence check off
  msg->nlmsg_pid = 0;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  for (;;) {
    ssize_t sent = ::sendto(fd_.get(), msg, msg->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel),
                            sizeof(kernel));
    if (sent >= 0) break;
    if (errno != EINTR) return -errno;
  }
  for (;;) {
    ssize_t n = receive();
    if (n < 0) return static_cast<int>(n);
    int rc = parse(reply_, static_cast<size_t>(n), msg->nlmsg_seq, portid_);
    if (rc == -EINTR && (msg->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
      // The dump changed under us; the rest of it is still queued.
      while (!ends_dump(reply_, static_cast<size_t>(n)))
        if ((n = receive()) < 0) return static_cast<int>(n);
      return rc;
    }
    if (rc <= 0 || one_buffer) return rc < 0 ? rc : 0;
  }
}

int Socket::request(nlmsghdr* msg) {
  return exchange(msg, false, parse_ack);
}

void Socket::request_or_throw(Request& r) {
  r.header()->nlmsg_flags |= NLM_F_ACK;
  int rc = request(r.header());
  if (rc != 0) throw Error::sys(r.what(), -rc);
}

}  // namespace hull::linux_::netlink
