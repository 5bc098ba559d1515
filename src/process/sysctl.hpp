// linux.sysctl: only keys that belong to a namespace the container has of its own, so that a
// container never changes the host's kernel settings (runc's rules, plus the uts keys).
#pragma once

#include "spec/model.hpp"

namespace hull::process {

// Throws naming "/linux/sysctl/<key>" when a key is not namespaced, or its namespace is not
// a new one made for this container.
void check_sysctls(const spec::Spec& spec);

// Writes every key through the verified procfs at proc_root, from inside the container's
// namespaces (the /proc/sys view follows the writer's namespaces). No checks: see
// check_sysctls.
void write_sysctls(const spec::Spec& spec, const std::string& proc_root = "/proc");

}  // namespace hull::process
