// linux.namespaces as clone flags and paths to join.
#pragma once

#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::container {

struct NamespacePlan {
  unsigned long new_flags = 0;  // CLONE_NEW* to create
  struct Join {
    int flag;          // CLONE_NEW* of the namespace
    std::string path;  // to setns() into
  };
  std::vector<Join> joins;  // in the joining order of spec/namespaces (user first)
  bool has(int flag) const;
  bool joins_any() const { return !joins.empty(); }
};

// Throws naming /linux/namespaces/N on an unknown type.
NamespacePlan plan_namespaces(const spec::Spec& s);

}  // namespace hull::container
