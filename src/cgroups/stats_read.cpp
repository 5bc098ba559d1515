#include "cgroups/stats_read.hpp"

#include <cstdlib>
#include <sstream>

#include "hull/error.hpp"
#include "linux/dir_names.hpp"
#include "linux/files.hpp"

namespace hull::cgroups {

std::string read_or_empty(const std::string& path) {
  try {
    return linux_::read_file(path);
  } catch (const Error&) {
    return "";
  }
}

uint64_t read_u64(const std::string& path) {
  std::string t = read_or_empty(path);
  if (t.empty() || t.rfind("max", 0) == 0) return 0;
  return std::strtoull(t.c_str(), nullptr, 10);
}

std::vector<uint64_t> read_u64_list(const std::string& path) {
  std::vector<uint64_t> out;
  std::stringstream in(read_or_empty(path));
  uint64_t v;
  while (in >> v) out.push_back(v);
  return out;
}

std::vector<std::string> hugetlb_sizes(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  auto d = linux_::DirNames::try_open(dir);
  if (!d) return out;
  const std::string prefix = "hugetlb.";
  while (d->next()) {
    std::string name = d->name();
    if (name.rfind(prefix, 0) != 0 || !name.ends_with(suffix)) continue;
    std::string size = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    // Skip the reservation counters (hugetlb.2MB.rsvd.max).
    if (!size.empty() && size.find('.') == std::string::npos) out.push_back(size);
  }
  return out;
}

}  // namespace hull::cgroups
