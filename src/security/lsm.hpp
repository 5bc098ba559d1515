// AppArmor and SELinux labels (process.apparmorProfile, process.selinuxLabel,
// linux.mountLabel). A label asks for confinement: when its LSM is not enabled the
// container must not run silently unconfined, so that is an error naming the field.
#pragma once

#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::security {

bool apparmor_enabled();
bool selinux_enabled();

// Throws when a non-empty label needs an LSM this kernel does not have enabled.
void check_lsm(const spec::Spec& spec, const spec::Process& process, const std::string& source);

// What to write under /proc (path relative to it, content) so that the next execve runs
// with the process's labels. Empty when the process has none.
struct ProcAttrWrite {
  std::string rel;
  std::string content;
  std::string field;  // names the config member in errors
};
std::vector<ProcAttrWrite> exec_label_writes(const spec::Process& process,
                                             const std::string& source);

}  // namespace hull::security
