// The one id check: every id from the command line or a file is 0..2147483647.
#include "spec/ids.hpp"

#include <gtest/gtest.h>

#include <string>

#include "hull/error.hpp"
#include "support/error_of.hpp"

namespace hull::spec {
namespace {

std::string parse_error(const char* text) {
  return hull::test::error_of([&] { parse_id(text, "--user"); }, "(no error)");
}

TEST(Ids, ParseTakesTheWholeRange) {
  EXPECT_EQ(parse_id("0", "--user"), 0u);
  EXPECT_EQ(parse_id("2147483647", "--user"), 2147483647u);
}

TEST(Ids, ParseRefusesWhatWouldWrap) {
  const std::string range = "out of range (uids and gids must be 0 to 2147483647)";
  EXPECT_EQ(parse_error("4294967295"), "--user: invalid value \"4294967295\": " + range);
  EXPECT_EQ(parse_error("2147483648"), "--user: invalid value \"2147483648\": " + range);
  EXPECT_EQ(parse_error("99999999999999999999999"),
            "--user: invalid value \"99999999999999999999999\": " + range);
  EXPECT_EQ(parse_error("-1"), "--user: invalid value \"-1\": not a numeric id");
  EXPECT_EQ(parse_error(""), "--user: invalid value \"\": not a numeric id");
  EXPECT_EQ(parse_error("1x"), "--user: invalid value \"1x\": not a numeric id");
  EXPECT_EQ(parse_error(" 1"), "--user: invalid value \" 1\": not a numeric id");
}

TEST(Ids, MappingsMayNotWrap) {
  auto err = [](uint32_t c, uint32_t h, uint32_t n) -> std::string {
    return hull::test::error_of(
        [&] {
          check_id_mapping({c, h, n}, "config.json", "/linux/uidMappings/0");
        },
        "(no error)");
  };
  EXPECT_EQ(err(0, 0, 4294967295u), "(no error)");  // the full identity map
  EXPECT_EQ(err(0, 100000, 65536), "(no error)");
  EXPECT_EQ(err(1, 0, 4294967295u),
            "config.json: /linux/uidMappings/0: containerID 1 + size 4294967295 runs past the "
            "last id 4294967294");
  EXPECT_EQ(err(0, 4294967295u, 1),
            "config.json: /linux/uidMappings/0: hostID 4294967295 + size 1 runs past the last "
            "id 4294967294");
  EXPECT_EQ(err(0, 0, 0), "config.json: /linux/uidMappings/0/size: must be at least 1");
}

}  // namespace
}  // namespace hull::spec
