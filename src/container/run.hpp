#pragma once

#include "container/options.hpp"

namespace hull::container {

// create + start + wait; returns the container's exit code (128+N when killed by signal N).
// With detach it returns 0 once the process runs.
int run_container(const Globals& g, const RunOptions& o);

}  // namespace hull::container
