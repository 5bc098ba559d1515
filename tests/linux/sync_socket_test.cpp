// The sync socket's messages: each arrives whole, whatever its size, and end-of-file shows.
#include "linux/sync_socket.hpp"

#include <gtest/gtest.h>

#include <string>

#include "hull/error.hpp"

namespace {

using hull::linux_::Msg;
using hull::linux_::SyncSocket;

TEST(SyncSocket, EveryPayloadSizeArrivesWholeWithItsType) {
  SyncSocket a, b;
  SyncSocket::pair(a, b);
  // empty, small, past the 64 KiB scratch buffer the receiver used to have
  for (size_t size : {size_t{0}, size_t{5}, size_t{70000}}) {
    std::string payload(size, 'x');
    if (size) payload.back() = 'y';
    a.send(Msg::kInitPid, payload);
    auto m = b.receive_or_eof();
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->type, Msg::kInitPid);
    EXPECT_EQ(m->payload, payload) << size;
  }
}

TEST(SyncSocket, MessagesKeepTheirBoundariesAndEndOfFileIsNothing) {
  SyncSocket a, b;
  SyncSocket::pair(a, b);
  a.send(Msg::kError, "first");
  a.send(Msg::kGo);
  a.close();
  auto first = b.receive_or_eof();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->type, Msg::kError);
  EXPECT_EQ(first->payload, "first");
  EXPECT_EQ(b.expect(Msg::kGo).payload, "");
  EXPECT_FALSE(b.receive_or_eof().has_value());
  EXPECT_THROW(b.receive(), hull::Error);
}

TEST(SyncSocket, AnErrorIsThrownWithItsTextAndWhatCameBeforeTheCloseStillArrives) {
  SyncSocket a, b;
  SyncSocket::pair(a, b);
  a.send(Msg::kError, "mounting /proc: EPERM");
  try {
    b.expect(Msg::kReady);
    ADD_FAILURE() << "a kError was taken for the message expected";
  } catch (const hull::Error& e) {
    EXPECT_EQ(e.message(), "mounting /proc: EPERM");
  }
  a.send(Msg::kStart);
  a.close();
  EXPECT_EQ(b.receive().type, Msg::kStart);
  EXPECT_THROW(b.receive(), hull::Error);
  EXPECT_NO_THROW(b.expect_closed());
}

}  // namespace
