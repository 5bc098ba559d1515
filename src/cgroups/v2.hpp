#pragma once

#include <chrono>

#include "cgroups/manager.hpp"
#include "linux/fd.hpp"

namespace hull::cgroups {

class V2Manager : public Manager {
 public:
  // mountpoint: where cgroup2 is mounted (tests pass a temp dir laid out like one).
  V2Manager(std::string mountpoint, std::string path);
  void create() override;
  void add(pid_t pid) override;
  int clone_into_fd() override;
  std::vector<pid_t> pids() const override;
  void apply(const spec::LinuxResources& r, const std::string& origin, bool update) override;
  Stats stats() const override;
  void signal_all(int sig) override;
  void freeze(bool frozen) override;
  // How long freeze() waits for cgroup.events to report the new state (tests shorten it).
  void set_freeze_timeout(std::chrono::milliseconds t) { freeze_timeout_ = t; }
  bool frozen() const override;
  void thaw_tree() override;
  void destroy() override;
  const std::string& path() const override { return path_; }
  const std::vector<Hierarchy>& hierarchies() const override { return hierarchies_; }
  const std::string& dir() const { return hierarchies_.front().dir; }

 private:
  std::string path_;
  std::vector<Hierarchy> hierarchies_;
  linux_::Fd dir_fd_;
  // As runc's: 10 s.
  std::chrono::milliseconds freeze_timeout_{10000};
};

}  // namespace hull::cgroups
