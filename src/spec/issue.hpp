// The one shape of every config problem: "<file>: <JSON pointer>: <what is wrong>".
#pragma once

#include <string>
#include <string_view>

#include "hull/error.hpp"

namespace hull::spec {

inline std::string issue_text(std::string_view source, std::string_view pointer,
                              std::string_view what) {
  std::string text(source);
  text += ": ";
  text += pointer.empty() ? std::string_view("/") : pointer;
  text += ": ";
  text += what;
  return text;
}

[[noreturn]] inline void fail(std::string_view source, std::string_view pointer,
                              std::string_view what) {
  throw Error(issue_text(source, pointer, what));
}

// "/linux" + "uidMappings" -> "/linux/uidMappings"; a key holding '/' or '~' is escaped as RFC
// 6901 says ("a/b" -> "a~1b"), so the pointer stays exact for annotation and sysctl keys.
inline std::string at(std::string_view base, std::string_view member) {
  std::string p(base);
  p += '/';
  for (char c : member) {
    if (c == '~') {
      p += "~0";
    } else if (c == '/') {
      p += "~1";
    } else {
      p += c;
    }
  }
  return p;
}
inline std::string at(std::string_view base, size_t index) {
  return at(base, std::to_string(index));
}

}  // namespace hull::spec
