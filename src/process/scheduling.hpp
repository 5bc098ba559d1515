// Where and how the process runs: process.scheduler (sched_setattr), process.ioPriority
// (ioprio_set), process.execCPUAffinity, linux.personality and linux.memoryPolicy. All are
// inherited across execve, so they are set on the container process just before it.
#pragma once

#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::process {

// "0-3,7" -> {0,1,2,3,7}; throws naming `where` on a malformed list.
std::vector<unsigned> parse_id_list(const std::string& list, const std::string& where);

void set_scheduler(const spec::Scheduler& s, const std::string& where);
void set_io_priority(const spec::IOPriority& p, const std::string& where);
// Pins the calling process to the CPUs of list (empty list: no change).
void set_cpu_affinity(const std::string& list, const std::string& where);
void set_personality(const spec::LinuxPersonality& p, const std::string& where);
void set_memory_policy(const spec::LinuxMemoryPolicy& p, const std::string& where);

}  // namespace hull::process
