#include "image/text.hpp"

namespace hull::image {
namespace {

constexpr size_t kHead = 96;
constexpr size_t kTail = 32;

void escape(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  for (unsigned char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
}

}  // namespace

std::string shown(std::string_view s) {
  std::string out;
  if (s.size() <= kShownMax) {
    escape(out, s);
    return out;
  }
  escape(out, s.substr(0, kHead));
  out += "\xe2\x80\xa6";  // …
  escape(out, s.substr(s.size() - kTail));
  out += " (" + std::to_string(s.size()) + " bytes)";
  return out;
}

}  // namespace hull::image
