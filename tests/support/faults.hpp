// Unit tests through the kernel seam: a FaultKernel with nothing behind it (calls are recorded
// and succeed without effect, except those the plan fails) and a runner that returns the
// error a step threw.
#pragma once

#include <string>
#include <string_view>

#include "linux/fault_kernel.hpp"
#include "support/error_of.hpp"

namespace hull::test {

// A FaultKernel(nullptr) failing what plan names ("mount:2:EPERM", see fault_kernel.hpp).
inline linux_::FaultKernel faults(std::string_view plan = "") {
  return linux_::FaultKernel(nullptr, linux_::parse_fault_plan(plan));
}

// Runs f with k installed; returns the message of the hull::Error it threw, "" when none.
template <typename F>
std::string run(linux_::FaultKernel& k, F&& f) {
  linux_::ScopedKernel scope(k);
  return error_of(f);
}

}  // namespace hull::test
