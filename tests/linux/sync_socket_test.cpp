// The create sync channel: each message arrives whole at its own size (empty, small, larger
// than any fixed buffer), a closed peer is end-of-file, a kError carries its text.
#include "linux/sync_socket.hpp"

#include <gtest/gtest.h>

#include <string>

#include "hull/error.hpp"

namespace hull::linux_ {
namespace {

TEST(SyncSocket, MessagesArriveWholeAtTheirOwnSize) {
  SyncSocket a, b;
  SyncSocket::pair(a, b);
  std::string big(100 * 1024, 'x');
  big.back() = 'y';
  a.send(Msg::kGo);
  a.send(Msg::kInitPid, "4242");
  a.send(Msg::kHooksDone, big);
  Message m = b.receive();
  EXPECT_EQ(m.type, Msg::kGo);
  EXPECT_EQ(m.payload, "");
  EXPECT_EQ(b.expect(Msg::kInitPid).payload, "4242");
  m = b.expect(Msg::kHooksDone);
  EXPECT_EQ(m.payload.size(), big.size());
  EXPECT_EQ(m.payload, big);
}

TEST(SyncSocket, ErrorAndEndOfFile) {
  SyncSocket a, b;
  SyncSocket::pair(a, b);
  a.send(Msg::kError, "mounting /proc: EPERM");
  try {
    b.expect(Msg::kReady);
    ADD_FAILURE() << "a kError was taken for the message expected";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "mounting /proc: EPERM");
  }
  a.send(Msg::kStart);
  a.close();
  EXPECT_EQ(b.receive().type, Msg::kStart);  // what was sent before the close still arrives
  EXPECT_THROW(b.receive(), Error);
  EXPECT_NO_THROW(b.expect_closed());
}

}  // namespace
}  // namespace hull::linux_
