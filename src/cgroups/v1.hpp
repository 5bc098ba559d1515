#pragma once

#include "cgroups/manager.hpp"

namespace hull::cgroups {

class V1Manager : public Manager {
 public:
  V1Manager(std::string path, std::vector<Hierarchy> hierarchies);
  void create() override;
  void add(pid_t pid) override;
  std::vector<pid_t> pids() const override;
  void freeze(bool frozen) override;
  bool frozen() const override;
  void destroy() override;
  const std::string& path() const override { return path_; }
  const std::vector<Hierarchy>& hierarchies() const override { return hierarchies_; }

 private:
  const Hierarchy* find(const std::string& name) const;
  std::string path_;
  std::vector<Hierarchy> hierarchies_;
};

}  // namespace hull::cgroups
