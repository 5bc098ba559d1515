// `list` and `spec`: what hull prints for its containers, and the default config it writes.
#pragma once

#include <string>
#include <vector>

#include "container/lifecycle.hpp"

namespace hull::container {

// runc's table: ID PID STATUS BUNDLE CREATED OWNER, columns 4 blanks apart, a stopped
// container's pid as 0, an empty owner as root.
std::string list_table(const std::vector<ListEntry>& entries);
// A JSON array of the OCI states.
std::string list_json(const std::vector<ListEntry>& entries);
// The ids, one a line.
std::string list_ids(const std::vector<ListEntry>& entries);

// `spec`: writes a default BUNDLE/config.json (for an unprivileged user with rootless); an
// existing one is an error, not overwritten.
void write_default_spec(const std::string& bundle, bool rootless);

}  // namespace hull::container
