// A Kernel for tests: it records every call and fails the ones a plan names, with the errno
// the plan gives, before they reach the kernel behind it. With no kernel behind it (nullptr)
// every other call succeeds without doing anything (descriptors are fresh /dev/null opens),
// which lets unit tests walk code that needs root without root.
//
// A plan is text: "KIND:N[:ERRNO][,…]" fails the Nth call of KIND (sys_name) in this process,
// with ERRNO as a name (EIO, EPERM …) or a number, EIO when omitted; "KIND:*" fails every
// call of KIND. Counting is per process: a child made by clone counts on from its parent's
// numbers, and a process that execs starts again from its plan.
#pragma once

#include <sys/types.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <vector>

#include "linux/kernel.hpp"

namespace hull::linux_ {

struct Fault {
  Sys kind = Sys::count_;
  uint32_t nth = 0;  // 1-based; 0 means every call of the kind
  int err = EIO;
};

// Parses a plan; throws hull::Error naming the bad entry.
std::vector<Fault> parse_fault_plan(std::string_view text);

struct RecordedCall {
  Sys kind;
  uint32_t nth;      // the call's number within its kind, from 1
  std::string what;  // the object of the call (a path, or the call's name)
  bool failed;       // failed by the plan
};

class FaultKernel final : public Kernel {
 public:
  explicit FaultKernel(Kernel* next, std::vector<Fault> plan = {});

  // Appends one line per call to fd ("PID KIND N WHAT [injected]\n", one write each), for a
  // driver that runs the binary once to learn its failure points. -1: no log.
  // The log fd; lines are written only while FD still names the file it named here (a child
  // that closed its fds, or reused the number, writes nothing there).
  void log_to(int fd);
  const std::vector<RecordedCall>& calls() const { return calls_; }
  uint32_t count(Sys kind) const { return counts_[static_cast<size_t>(kind)]; }
  void clear() {
    calls_.clear();
    counts_.fill(0);
  }

#define HULL_FAULT_OVERRIDE(result, name, kind, params, args, what) \
  result name params override {                                     \
    if (int err = enter(Sys::kind, what); err != 0) {               \
      errno = err;                                                  \
      return static_cast<result>(-1);                               \
    }                                                               \
    if (next_ != nullptr) return next_->name args;                  \
    return pretend<result>(#name, std::make_tuple args);            \
  }
  HULL_SYSCALLS(HULL_FAULT_OVERRIDE)
#undef HULL_FAULT_OVERRIDE

 private:
  // Counts and records the call; returns the errno to fail it with, or 0.
  int enter(Sys kind, std::string_view what);
  static int fake_fd();

  // Calls that make a descriptor get a fresh one of /dev/null.
  static bool makes_fd(std::string_view name);

  template <typename R, typename Tuple>
  static R pretend(std::string_view name, const Tuple& args) {
    constexpr size_t n = std::tuple_size_v<Tuple>;
    if constexpr (n == 4) {
      if constexpr (std::is_same_v<std::tuple_element_t<3, Tuple>, int*>) {
        if (name == "socketpair") {
          int* fds = std::get<3>(args);
          fds[0] = fake_fd();
          fds[1] = fake_fd();
          return 0;
        }
      }
    }
    if constexpr (n == 2) {
      if constexpr (std::is_same_v<std::tuple_element_t<0, Tuple>, int*>) {
        if (name == "pipe2") {
          int* fds = std::get<0>(args);
          fds[0] = fake_fd();
          fds[1] = fake_fd();
          return 0;
        }
      }
    }
    if constexpr (n == 3) {
      // write reports everything written; dup3 the descriptor asked for.
      if constexpr (std::is_integral_v<std::tuple_element_t<2, Tuple>>) {
        if (name == "write") return static_cast<R>(std::get<2>(args));
      }
      if constexpr (std::is_integral_v<std::tuple_element_t<1, Tuple>>) {
        if (name == "dup3") return static_cast<R>(std::get<1>(args));
      }
    }
    if (makes_fd(name)) return static_cast<R>(fake_fd());
    return 0;
  }

  Kernel* next_;
  std::vector<Fault> plan_;
  std::array<uint32_t, static_cast<size_t>(Sys::count_)> counts_{};
  std::vector<RecordedCall> calls_;
  int log_fd_ = -1;
  dev_t log_dev_ = 0;
  ino_t log_ino_ = 0;
};

// For a test build of the CLI: installs a FaultKernel over the host's when HULL_FAULTS (the
// plan) or HULL_FAULT_LOG (a file to append the record to) is set. Never linked into the
// hull that ships.
void install_fault_kernel_from_env();

}  // namespace hull::linux_
