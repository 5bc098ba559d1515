// Text for messages: joining lists, and showing untrusted strings safely.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace hull::image {

inline std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(items[i]);
  }
  return out;
}

// Strings longer than this many bytes are cut when shown.
inline constexpr size_t kShownMax = 160;

// How every oci-image error shows a string it did not make (a member path, a link target, a
// digest, a tag, a media type, a file name): bytes outside printable ASCII escaped as \xNN and
// a backslash as \\, so a name cannot forge or hide part of the line; and a string longer than
// kShownMax bytes cut to its first 96 and last 32 bytes around "…", followed by its full
// length: "usr/aaaa…aaaa/file (12034 bytes)".
std::string shown(std::string_view s);
// The same for a C string that may be missing (libarchive's messages and names).
inline std::string shown(const char* s) {
  return s == nullptr ? std::string("(none)") : shown(std::string_view(s));
}

}  // namespace hull::image
