// AppArmor and SELinux labels (process.apparmorProfile, process.selinuxLabel,
// linux.mountLabel). As runc and crun do, a label whose LSM is not enabled on this host is
// ignored with a warning naming the field; an enabled LSM that rejects a label is an error
// (the write of the exec label fails).
#pragma once

#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::security {

bool apparmor_enabled();
bool selinux_enabled();

// Warns (hull::warn) for each non-empty label whose LSM this kernel does not have enabled.
void check_lsm(const spec::Spec& spec, const spec::Process& process, const std::string& source);

// What to write under /proc (path relative to it, content) so that the next execve runs
// with the process's labels. Empty when the process has none, or only labels for LSMs that
// are not enabled.
struct ProcAttrWrite {
  std::string rel;
  std::string content;
  std::string field;  // names the config member in errors
};
std::vector<ProcAttrWrite> exec_label_writes(const spec::Process& process,
                                             const std::string& source);

}  // namespace hull::security
