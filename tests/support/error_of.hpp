// The one way a unit test catches what it expects to fail: the text of the hull::Error f
// throws. Anything else f throws escapes, and the test fails on it.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "hull/error.hpp"

namespace hull::test {

// The message of the hull::Error f threw, or none ("" unless a test's expected texts need a
// visible word for success) when it threw nothing.
template <typename F>
std::string error_of(F&& f, std::string_view none = "") {
  try {
    std::forward<F>(f)();
  } catch (const Error& e) {
    return e.message();
  }
  return std::string(none);
}

}  // namespace hull::test
