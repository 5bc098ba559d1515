#include "json/parse.hpp"

#include <rapidjson/error/en.h>

#include <algorithm>

#include "hull/error.hpp"

namespace hull::json {
namespace {

// "offset N (line L, column C)" for a byte offset into text.
std::string position(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  size_t line = 1 + std::count(text.begin(), text.begin() + offset, '\n');
  size_t line_start = offset == 0 ? std::string_view::npos : text.rfind('\n', offset - 1);
  size_t column = line_start == std::string_view::npos ? offset + 1 : offset - line_start;
  return "offset " + std::to_string(offset) + " (line " + std::to_string(line) + ", column " +
         std::to_string(column) + ")";
}

}  // namespace

size_t find_too_deep(std::string_view text, unsigned max_depth) {
  unsigned depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > max_depth) return i;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return std::string_view::npos;
}

rapidjson::Document parse(std::string_view text, std::string_view source, ParseOptions options) {
  // Before the parser: RapidJSON's recursive descent would run off the stack long before it
  // ran out of text, and every walk of the document after it is recursive too.
  if (size_t at = find_too_deep(text); at != std::string_view::npos) {
    throw Error(std::string(source) + ": JSON nested deeper than " + std::to_string(kMaxDepth) +
                " levels at " + position(text, at));
  }
  rapidjson::Document doc;
  if (options.validate_utf8) {
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  } else {
    doc.Parse(text.data(), text.size());
  }
  if (!doc.HasParseError()) return doc;
  throw Error(std::string(source) + ": invalid JSON at " + position(text, doc.GetErrorOffset()) +
              ": " + rapidjson::GetParseError_En(doc.GetParseError()));
}

}  // namespace hull::json
