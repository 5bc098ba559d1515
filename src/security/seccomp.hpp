// linux.seccomp: compiled to classic BPF with libseccomp where it is cheap to report errors
// (the parent, before the clone), loaded with seccomp(2) by the container process as late as
// it can be.
#pragma once

#include <linux/filter.h>

#include <functional>
#include <string>
#include <vector>

#include "linux/fd.hpp"
#include "spec/model.hpp"

namespace hull::security {

struct SeccompProgram {
  std::vector<sock_filter> bpf;
  unsigned flags = 0;   // SECCOMP_FILTER_FLAG_* for seccomp(2)
  bool notify = false;  // a rule uses SCMP_ACT_NOTIFY: the load returns a listener fd
};

using DebugSink = std::function<void(const std::string&)>;

// Throws hull::Error naming the member (source + "/linux/seccomp/...") for an unknown
// action, architecture, flag or operator, or an errnoRet on an action that has none.
// Syscall names libseccomp does not know are skipped, each reported to `debug`.
SeccompProgram compile_seccomp(const spec::LinuxSeccomp& seccomp, const std::string& source,
                               const DebugSink& debug = {});

// Installs the filter on the calling thread. Returns the notify listener when the program
// has SCMP_ACT_NOTIFY rules, else an empty Fd.
linux_::Fd load_seccomp(const SeccompProgram& program, const std::string& source);

// The message sent with the listener fd to listenerPath (the spec's seccomp state): the
// container's state (its status replaced by `status`) and listenerMetadata.
std::string seccomp_notify_state(const std::string& container_state_json,
                                 const std::string& metadata, const std::string& status);

// What compile_seccomp accepts, by the spec's names (for `hull features`); architectures
// are those this libseccomp resolves.
struct SeccompNames {
  std::vector<std::string> actions, operators, archs, flags;
};
SeccompNames seccomp_names();

}  // namespace hull::security
