// The one JSON reader (json/parse.hpp): nesting limit before the parser, errors with positions.
#include "json/parse.hpp"

#include <gtest/gtest.h>

#include <string>

#include "hull/error.hpp"
#include "support/error_of.hpp"

namespace {

using hull::json::find_too_deep;
using hull::json::kMaxDepth;
using hull::json::parse;

using hull::test::error_of;

std::string nested(size_t n, char open = '[', char close = ']') {
  return std::string(n, open) + std::string(n, close);
}

TEST(JsonParse, ParsesValidText) {
  auto doc = parse(R"({"a": [1, {"b": "c"}]})", "t.json");
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["a"][1]["b"].GetString(), "c");
}

TEST(JsonParse, TheLimitItselfIsAccepted) {
  auto doc = parse(nested(kMaxDepth), "t.json");
  EXPECT_TRUE(doc.IsArray());
}

TEST(JsonParse, OneLevelMoreIsRefusedNamingSourceAndPosition) {
  EXPECT_EQ(error_of([] { parse(nested(kMaxDepth + 1), "t.json"); }),
            "t.json: JSON nested deeper than 1000 levels at offset 1000 (line 1, column 1001)");
}

TEST(JsonParse, HundredsOfThousandsOfLevelsFailWithoutRecursion) {
  // 105k levels crashed every reader before (RapidJSON's recursive descent).
  EXPECT_NE(error_of([] { parse(nested(200000), "deep"); }).find("nested deeper"),
            std::string::npos);
  EXPECT_NE(error_of([] { parse(std::string(500000, '{'), "deep"); }).find("nested deeper"),
            std::string::npos);
}

TEST(JsonParse, BracketsInsideStringsDoNotCount) {
  std::string s = "{\"a\": \"" + std::string(5000, '[') + "\\\"" + std::string(5000, '{') + "\"}";
  auto doc = parse(s, "t.json");
  EXPECT_EQ(doc["a"].GetStringLength(), 10001u);
}

TEST(JsonParse, MixedObjectsAndArraysCount) {
  std::string s;
  for (unsigned i = 0; i < kMaxDepth; ++i) s += i % 2 ? "[" : "{\"k\":";
  std::string deep = s + "[]";
  EXPECT_NE(find_too_deep(deep), std::string::npos);
  EXPECT_EQ(find_too_deep(s), std::string::npos);
}

TEST(JsonParse, SyntaxErrorsSayWhere) {
  EXPECT_EQ(error_of([] { parse("{\n  \"a\": ,\n}", "t.json"); }),
            "t.json: invalid JSON at offset 9 (line 2, column 8): Invalid value.");
  EXPECT_EQ(error_of([] { parse("", "t.json"); }),
            "t.json: invalid JSON at offset 0 (line 1, column 1): The document is empty.");
}

TEST(JsonParse, InvalidUtf8IsRefusedOnlyWhenAsked) {
  std::string text = "[\"\xff\"]";
  EXPECT_NO_THROW(parse(text, "t.json"));
  EXPECT_NE(
      error_of([&] { parse(text, "t.json", {.validate_utf8 = true}); }).find("Invalid encoding"),
      std::string::npos);
}

}  // namespace
