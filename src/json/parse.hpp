// The one JSON reader of hull, oci-image and oci-bridge: text (read with the size limits of
// linux/bounded_read.hpp and json/limits.hpp) to a RapidJSON document, refusing anything nested
// deeper than kMaxDepth before the parser sees it. Errors name the source and say where.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "json/limits.hpp"

namespace hull::json {

struct ParseOptions {
  bool validate_utf8 = false;  // refuse invalid UTF-8 (hull's own inputs do)
};

// Parses JSON text. Throws hull::Error
//   "<source>: invalid JSON at offset N (line L, column C): <reason>" or
//   "<source>: JSON nested deeper than 1000 levels at offset N (line L, column C)".
rapidjson::Document parse(std::string_view text, std::string_view source,
                          ParseOptions options = {});

// The offset of the first '[' or '{' that opens level max_depth + 1, or npos when the text
// nests no deeper (strings are skipped; the text need not be valid JSON). Linear, no recursion.
size_t find_too_deep(std::string_view text, unsigned max_depth = kMaxDepth);

}  // namespace hull::json
