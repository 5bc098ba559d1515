#include "spec/namespaces.hpp"

#include <sched.h>

#include <string>

#include "hull/error.hpp"

namespace hull::spec {
namespace {

constexpr NamespaceType kTypes[] = {
    {"user", CLONE_NEWUSER, "user"},       {"ipc", CLONE_NEWIPC, "ipc"},
    {"uts", CLONE_NEWUTS, "uts"},          {"network", CLONE_NEWNET, "net"},
    {"pid", CLONE_NEWPID, "pid"},          {"mount", CLONE_NEWNS, "mnt"},
    {"cgroup", CLONE_NEWCGROUP, "cgroup"}, {"time", CLONE_NEWTIME, "time"},
};

}  // namespace

std::span<const NamespaceType> namespace_types() {
  return kTypes;
}

const NamespaceType* namespace_named(std::string_view name) {
  for (const auto& t : kTypes) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

const NamespaceType* namespace_of_flag(int clone_flag) {
  for (const auto& t : kTypes) {
    if (t.clone_flag == clone_flag) return &t;
  }
  return nullptr;
}

std::string_view namespace_name(int clone_flag) {
  const NamespaceType* t = namespace_of_flag(clone_flag);
  if (!t) throw Error("no namespace type has the clone flag " + std::to_string(clone_flag));
  return t->name;
}

}  // namespace hull::spec
