// `ps`: the processes in a running container's cgroup, as pids (json) or as the rows of the
// host's ps whose PID column is one of them (table).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "container/options.hpp"

namespace hull::container {

enum class PsFormat { kTable, kJson };

struct PsRequest {
  std::string id;
  PsFormat format = PsFormat::kTable;
  std::vector<std::string> ps_args;  // for the host's ps (table only); none: -ef
};

// What `hull ps` prints, newline-terminated.
std::string container_ps(const Globals& g, const PsRequest& r);

// "[1,2,3]\n"
std::string ps_json(const std::vector<pid_t>& pids);
// ps's header and the rows whose PID column is one of pids; throws when there is no PID
// column or a row's PID is not a number.
std::string filter_ps_table(const std::string& ps_output, const std::vector<pid_t>& pids);

}  // namespace hull::container
