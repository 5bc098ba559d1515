// argv/envp arrays for execve over strings that outlive the call.
#pragma once

#include <string>
#include <vector>

namespace hull::linux_ {

inline std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace hull::linux_
