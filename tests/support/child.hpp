// Runs a function in a forked child (for steps that change the process for good: seccomp,
// mount namespaces, personality) and returns its exit status, or 128 + signal.
#pragma once

#include <functional>

namespace hull::test {

int in_child(const std::function<int()>& body);

}  // namespace hull::test
