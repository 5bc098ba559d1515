#pragma once

#include "cgroups/manager.hpp"

namespace hull::cgroups {

class V1Manager : public Manager {
 public:
  // hierarchies: every mounted one with its directory for this cgroup (tests pass temp dirs).
  V1Manager(std::string path, std::vector<Hierarchy> hierarchies);
  void create() override;
  void add(pid_t pid) override;
  CloneJoin clone_join() override;
  std::vector<pid_t> pids() const override;
  void apply(const spec::LinuxResources& r, const std::string& origin, bool update) override;
  Stats stats() const override;
  void freeze(bool frozen) override;
  bool frozen() const override;
  void thaw_tree() override;
  void destroy() override;
  const std::string& path() const override { return path_; }
  const std::vector<Hierarchy>& hierarchies() const override { return hierarchies_; }
  // The hierarchy holding a controller ("cpu" is found in a "cpu,cpuacct" mount), or null.
  const Hierarchy* find(const std::string& controller) const;

 private:
  // The directory whose subtree lists the container's processes (a container can only move
  // them within its own subtree, so one hierarchy holds them all).
  const std::string* pids_dir() const;
  std::string path_;
  std::vector<Hierarchy> hierarchies_;
  linux_::Fd unified_fd_;  // the hybrid layout's cgroup2 directory, for clone_join()
};

}  // namespace hull::cgroups
