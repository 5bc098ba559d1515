// Which namespace each namespaced sysctl belongs to, in one table: validation checks that the
// config has that namespace, process/sysctl that it is the container's own before writing.
// The ipc keys are runc's list (the kernel's ipc sysctls but the *_next_id ones), plus the two
// uts keys runc handles through hostname/domainname.
#pragma once

#include <string>
#include <string_view>

#include "spec/namespaces.hpp"

namespace hull::spec {

struct SysctlClass {
  const NamespaceType* ns;  // the namespace the key lives in
  std::string_view need;    // for errors: "an IPC sysctl needs an ipc namespace"
};

// The class of a key (dotted form), or nothing (ns == nullptr) for a host-wide key.
SysctlClass sysctl_class(std::string_view key);

// Every namespaced key and prefix, for an error that lists what is allowed:
// "net.*, kernel.msgmax, ..., fs.mqueue.*, kernel.hostname, kernel.domainname".
std::string namespaced_sysctls();

}  // namespace hull::spec
