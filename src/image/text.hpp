// Joining lists for messages and annotations.
#pragma once

#include <string>
#include <vector>

namespace hull::image {

inline std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(items[i]);
  }
  return out;
}

}  // namespace hull::image
