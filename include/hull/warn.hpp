// The one way warnings reach the user: "hull: warning: ..." on stderr. Plain write(2), so the
// container's processes can use it between clone and execve too.
#pragma once

#include <unistd.h>

#include <string>

namespace hull {

inline void warn(const std::string& msg) {
  std::string line = "hull: warning: " + msg + "\n";
  (void)!::write(2, line.data(), line.size());
}

}  // namespace hull
