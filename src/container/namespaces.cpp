#include "container/namespaces.hpp"

#include <sched.h>

#include <algorithm>
#include <string_view>

#include "hull/error.hpp"

namespace hull::container {
namespace {

struct NsType {
  std::string_view name;
  int flag;
};

constexpr NsType kTypes[] = {
    {"user", CLONE_NEWUSER},     {"pid", CLONE_NEWPID},   {"network", CLONE_NEWNET},
    {"ipc", CLONE_NEWIPC},       {"uts", CLONE_NEWUTS},   {"mount", CLONE_NEWNS},
    {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
};

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
    int flag = 0;
    for (const auto& t : kTypes) {
      if (t.name == list[i].type) flag = t.flag;
    }
    if (flag == 0) {
      throw Error("config.json: /linux/namespaces/" + std::to_string(i) +
                  "/type: unknown namespace type \"" + list[i].type + "\"");
    }
    if (list[i].path.empty()) {
      plan.new_flags |= static_cast<unsigned long>(flag);
    } else {
      plan.joins.push_back({flag, list[i].path});
    }
  }
  // Joining the user namespace first gives the rights to join the others.
  std::stable_partition(plan.joins.begin(), plan.joins.end(),
                        [](const NamespacePlan::Join& j) { return j.flag == CLONE_NEWUSER; });
  return plan;
}

}  // namespace hull::container
