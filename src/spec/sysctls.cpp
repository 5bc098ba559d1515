#include "spec/sysctls.hpp"

#include <sched.h>

namespace hull::spec {
namespace {

struct Rule {
  std::string_view key;  // a whole key, or a prefix when it ends in '.'
  int clone_flag;
};

constexpr Rule kRules[] = {
    {"net.", CLONE_NEWNET},
    {"kernel.msgmax", CLONE_NEWIPC},
    {"kernel.msgmnb", CLONE_NEWIPC},
    {"kernel.msgmni", CLONE_NEWIPC},
    {"kernel.sem", CLONE_NEWIPC},
    {"kernel.shmall", CLONE_NEWIPC},
    {"kernel.shmmax", CLONE_NEWIPC},
    {"kernel.shmmni", CLONE_NEWIPC},
    {"kernel.shm_rmid_forced", CLONE_NEWIPC},
    {"fs.mqueue.", CLONE_NEWIPC},
    {"kernel.hostname", CLONE_NEWUTS},
    {"kernel.domainname", CLONE_NEWUTS},
};

bool matches(const Rule& r, std::string_view key) {
  return r.key.ends_with('.') ? key.starts_with(r.key) : key == r.key;
}

std::string_view need_of(int clone_flag) {
  switch (clone_flag) {
    case CLONE_NEWNET:
      return "a net.* sysctl needs a network namespace";
    case CLONE_NEWIPC:
      return "an IPC sysctl needs an ipc namespace";
    default:
      return "a UTS sysctl needs a uts namespace";
  }
}

}  // namespace

SysctlClass sysctl_class(std::string_view key) {
  for (const auto& r : kRules) {
    if (matches(r, key)) return {namespace_of_flag(r.clone_flag), need_of(r.clone_flag)};
  }
  return {};
}

std::string namespaced_sysctls() {
  std::string out;
  for (const auto& r : kRules) {
    if (!out.empty()) out += ", ";
    out += r.key;
    if (r.key.ends_with('.')) out += '*';
  }
  return out;
}

}  // namespace hull::spec
