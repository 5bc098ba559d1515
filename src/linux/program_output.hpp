// Runs a host program (looked up in PATH) and collects what it writes: `hull ps` runs the
// host's ps this way.
#pragma once

#include <string>
#include <vector>

namespace hull::linux_ {

struct ProgramOutput {
  std::string text;  // stdout and stderr, interleaved as written
  bool ok = false;   // exited with status 0
};

// argv[0] is the program. The child has the pipe as stdout and stderr and no other fd of
// ours; it is waited for before this returns.
ProgramOutput run_program(const std::vector<std::string>& argv);

}  // namespace hull::linux_
