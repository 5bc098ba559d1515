#include "container/namespaces.hpp"

#include <algorithm>

#include "hull/error.hpp"
#include "spec/namespaces.hpp"

namespace hull::container {
namespace {

// A type's place in the table's joining order.
size_t join_rank(int flag) {
  auto types = spec::namespace_types();
  return static_cast<size_t>(spec::namespace_of_flag(flag) - types.data());
}

}  // namespace

bool NamespacePlan::has(int flag) const {
  if (new_flags & static_cast<unsigned long>(flag)) return true;
  return std::any_of(joins.begin(), joins.end(), [&](const Join& j) { return j.flag == flag; });
}

NamespacePlan plan_namespaces(const spec::Spec& s) {
  NamespacePlan plan;
  if (!s.linux_) return plan;
  const auto& list = s.linux_->namespaces;
  for (size_t i = 0; i < list.size(); ++i) {
    const spec::NamespaceType* type = spec::namespace_named(list[i].type);
    if (!type) {
      throw Error("config.json: /linux/namespaces/" + std::to_string(i) +
                  "/type: unknown namespace type \"" + list[i].type + "\"");
    }
    if (list[i].path.empty()) {
      plan.new_flags |= static_cast<unsigned long>(type->clone_flag);
    } else {
      plan.joins.push_back({type->clone_flag, list[i].path});
    }
  }
  std::stable_sort(plan.joins.begin(), plan.joins.end(),
                   [](const NamespacePlan::Join& a, const NamespacePlan::Join& b) {
                     return join_rank(a.flag) < join_rank(b.flag);
                   });
  return plan;
}

}  // namespace hull::container
