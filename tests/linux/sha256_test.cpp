#include "linux/sha256.hpp"

#include <gtest/gtest.h>

#include <string>

namespace hull::linux_ {
namespace {

// FIPS 180-2 appendix B and the empty message.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, PiecesHashAsTheWhole) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += std::to_string(i * 7919);
  Sha256 h;
  for (size_t at = 0, n = 1; at < text.size(); at += n, n = n * 3 % 127 + 1) {
    h.update(std::string_view(text).substr(at, n));
  }
  EXPECT_EQ(h.finish(), sha256(text));
  // finish() starts over: the same hasher hashes the next stream from nothing.
  h.update("abc", 3);
  EXPECT_EQ(hex(h.finish()), sha256_hex("abc"));
}

TEST(Sha256, HexIsTwoLowercaseDigitsAByte) {
  Sha256Digest d{};
  d[0] = 0x0f;
  d[1] = 0xa0;
  d[31] = 0xff;
  EXPECT_EQ(hex(d), "0fa0" + std::string(58, '0') + "ff");
}

}  // namespace
}  // namespace hull::linux_
