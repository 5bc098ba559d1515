// The one error type of the project: a message chain (outermost context first) and the errno
// that caused it, if any. Each layer adds what it was doing with context().
#pragma once

#include <cerrno>
#include <cstring>
#include <exception>
#include <string>
#include <utility>

namespace hull {

class Error : public std::exception {
 public:
  explicit Error(std::string message, int err = 0) : message_(std::move(message)), errno_(err) {
    render();
  }

  // An error from a failed system call: "what: strerror(err)".
  static Error sys(std::string what, int err = errno) { return Error(std::move(what), err); }

  // Prepends the context in which the error happened ("creating container x: ...").
  Error& context(const std::string& ctx) {
    std::string joined;
    joined.reserve(ctx.size() + 2 + message_.size());
    joined.append(ctx).append(": ").append(message_);
    message_ = std::move(joined);
    render();
    return *this;
  }

  const char* what() const noexcept override { return text_.c_str(); }
  const std::string& message() const noexcept { return text_; }
  int code() const noexcept { return errno_; }

 private:
  void render() {
    text_ = message_;
    if (errno_ != 0) {
      text_ += ": ";
      text_ += std::strerror(errno_);
    }
  }

  std::string message_;
  std::string text_;
  int errno_;
};

// Runs f and adds ctx to any hull::Error it throws.
template <typename F>
auto with_context(const std::string& ctx, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (Error& e) {
    e.context(ctx);
    throw;
  }
}

}  // namespace hull
