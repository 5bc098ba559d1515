#include "container/list.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>

#include "hull/error.hpp"
#include "linux/files.hpp"
#include "spec/defaults.hpp"
#include "state/record.hpp"

namespace hull::container {

std::string list_table(const std::vector<ListEntry>& entries) {
  std::vector<std::array<std::string, 6>> rows = {
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const auto& e : entries) {
    rows.push_back({e.record.id, std::to_string(e.status == "stopped" ? 0 : e.record.pid), e.status,
                    e.record.bundle, e.record.created,
                    e.record.owner.empty() ? "root" : e.record.owner});
  }
  std::array<size_t, 6> width{};
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  std::string out;
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      out += r[i];
      if (i + 1 < r.size()) out += std::string(width[i] - r[i].size() + 4, ' ');
    }
    out += "\n";
  }
  return out;
}

std::string list_json(const std::vector<ListEntry>& entries) {
  std::string out = "[";
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ",";
    out += state::oci_state_json(entries[i].record, entries[i].status, false);
  }
  return out + "]\n";
}

std::string list_ids(const std::vector<ListEntry>& entries) {
  std::string out;
  for (const auto& e : entries) out += e.record.id + "\n";
  return out;
}

void write_default_spec(const std::string& bundle, bool rootless) {
  std::string path = bundle + "/config.json";
  if (linux_::exists(path)) throw Error(path + " exists: remove it first");
  linux_::write_file(path, spec::default_spec_json(rootless, ::getuid(), ::getgid()), true, 0644);
}

}  // namespace hull::container
