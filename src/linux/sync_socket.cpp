#include "linux/sync_socket.hpp"

#include <poll.h>
#include <sys/socket.h>

#include <cstring>
#include <vector>

#include "hull/error.hpp"
#include "linux/interruptible.hpp"
#include "linux/kernel.hpp"

namespace hull::linux_ {
namespace {

// For errors: which message of the protocol was on its way.
std::string msg_name(Msg m) {
  switch (m) {
    case Msg::kGo:
      return "\"go\"";
    case Msg::kMapsWritten:
      return "\"maps written\"";
    case Msg::kNeedMaps:
      return "\"need maps\"";
    case Msg::kInitPid:
      return "\"init pid\"";
    case Msg::kRunHooks:
      return "\"run hooks\"";
    case Msg::kHooksDone:
      return "\"hooks done\"";
    case Msg::kReady:
      return "\"ready\"";
    case Msg::kStart:
      return "\"start\"";
    case Msg::kError:
      return "\"error\"";
  }
  return std::to_string(static_cast<uint32_t>(m));
}

}  // namespace

void SyncSocket::pair(SyncSocket& a, SyncSocket& b) {
  int fds[2];
  if (kernel().socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0) {
    throw Error::sys("creating sync socket pair");
  }
  a.fd_.reset(fds[0]);
  b.fd_.reset(fds[1]);
}

void SyncSocket::send(Msg type, const std::string& payload) const {
  std::vector<char> buf(sizeof(uint32_t) + payload.size());
  uint32_t t = static_cast<uint32_t>(type);
  std::memcpy(buf.data(), &t, sizeof(t));
  std::memcpy(buf.data() + sizeof(t), payload.data(), payload.size());
  struct iovec iov = {buf.data(), buf.size()};
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  for (;;) {
    if (kernel().sendmsg(fd_.get(), &msg, MSG_NOSIGNAL) >= 0) return;
    if (errno != EINTR) throw Error::sys("sync socket: sending message " + msg_name(type));
  }
}

namespace {

// recvmsg on the sync socket, retried on EINTR; flags as recvmsg's.
ssize_t receive_into(int fd, void* data, size_t size, int flags) {
  struct iovec iov = {data, size};
  struct msghdr msg {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  ssize_t n;
  do {
    n = kernel().recvmsg(fd, &msg, flags);
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw Error::sys("sync socket receive");
  return n;
}

}  // namespace

std::optional<Message> SyncSocket::receive_or_eof() const {
  wait_interruptible(fd_.get(), POLLIN, "the container init (create sync socket)");
  // A peek with MSG_TRUNC tells the whole size of the waiting datagram (0: end of file), so
  // the message is read once into a buffer of its own size: no large zeroed buffer per message.
  uint32_t t;
  ssize_t size = receive_into(fd_.get(), &t, sizeof(t), MSG_PEEK | MSG_TRUNC);
  if (size == 0) return std::nullopt;
  if (size < static_cast<ssize_t>(sizeof(t))) throw Error("sync protocol: short message");
  std::string buf(static_cast<size_t>(size), '\0');
  ssize_t n = receive_into(fd_.get(), buf.data(), buf.size(), 0);
  if (n != size) throw Error("sync protocol: message changed size between peek and read");
  std::memcpy(&t, buf.data(), sizeof(t));
  Message m;
  m.type = static_cast<Msg>(t);
  buf.erase(0, sizeof(t));
  m.payload = std::move(buf);
  return m;
}

Message SyncSocket::receive() const {
  auto m = receive_or_eof();
  if (!m) throw Error("the container init exited during setup");
  return std::move(*m);
}

void SyncSocket::expect_closed() const {
  auto m =
      with_context("sync socket: waiting for the peer's execve", [&] { return receive_or_eof(); });
  if (!m) return;
  if (m->type == Msg::kError) throw Error(m->payload);
  throw Error("sync protocol: expected the process's execve, got message " +
              std::to_string(static_cast<int>(m->type)));
}

Message SyncSocket::expect(Msg want) const {
  Message m =
      with_context("sync socket: waiting for message " + msg_name(want), [&] { return receive(); });
  if (m.type == Msg::kError) throw Error(m.payload);
  if (m.type != want) {
    throw Error("sync protocol: expected message " + std::to_string(static_cast<int>(want)) +
                ", got " + std::to_string(static_cast<int>(m.type)));
  }
  return m;
}

}  // namespace hull::linux_
