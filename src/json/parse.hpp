// The one JSON reader of hull, oci-image and oci-bridge: text (or a file or stdin, read with a
// size limit) to a RapidJSON document, refusing anything nested deeper than kMaxDepth before
// the parser sees it. Errors name the source and say where in the text the problem is.
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

// Reads the regular file at path (at most limit bytes) and parses it; errors name the path.
rapidjson::Document load_file(const std::string& path, size_t limit, ParseOptions options = {});

// Reads fd to end of file (at most limit bytes) and parses it; errors name `what`.
rapidjson::Document load_fd(int fd, size_t limit, const std::string& what,
                            ParseOptions options = {});

}  // namespace hull::json
