// The namespace types, in one table: the name linux.namespaces[].type uses, the CLONE_NEW*
// flag, the entry under /proc/<pid>/ns, in the order create joins namespaces given by path.
// Validation, create, exec, the sysctl classes, `hull spec` and `hull features` all read it;
// tests/spec/namespaces_test.cpp pins it against the schema's enum and the running kernel.
#pragma once

#include <span>
#include <string_view>

namespace hull::spec {

struct NamespaceType {
  std::string_view name;       // in config.json: "network"
  int clone_flag;              // CLONE_NEWNET
  std::string_view proc_name;  // /proc/<pid>/ns/net
};

// Every type hull knows, in joining order (runc's): the user namespace first, since it grants
// the rights to join the others; the mount namespace after those whose paths it could hide.
std::span<const NamespaceType> namespace_types();

// nullptr for a name or flag outside the table.
const NamespaceType* namespace_named(std::string_view name);
const NamespaceType* namespace_of_flag(int clone_flag);

// The config name of a CLONE_NEW* flag of the table ("network" for CLONE_NEWNET).
std::string_view namespace_name(int clone_flag);

}  // namespace hull::spec
