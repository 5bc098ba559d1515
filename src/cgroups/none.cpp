// crun's --cgroup-manager disabled: the container gets no cgroup of its own. Nothing is made
// or joined (its processes stay in the caller's cgroup) and the config's resources are
// ignored at create, as crun does; what needs a cgroup later says there is none.
#include "cgroups/manager.hpp"
#include "hull/error.hpp"

namespace hull::cgroups {
namespace {

class NoCgroup : public Manager {
 public:
  void create() override {}
  void add(pid_t) override {}
  std::vector<pid_t> pids() const override { return {}; }
  void apply(const spec::LinuxResources&, const std::string& origin, bool update) override {
    if (update) throw Error(origin + ": " + kNone);
  }
  Stats stats() const override { throw Error(std::string("stats: ") + kNone); }
  void freeze(bool) override { throw Error(std::string("freezing: ") + kNone); }
  bool frozen() const override { return false; }
  void thaw_tree() override {}
  void destroy() override {}
  const std::string& path() const override { return path_; }
  const std::vector<Hierarchy>& hierarchies() const override { return hierarchies_; }

 private:
  static constexpr const char* kNone =
      "the container has no cgroup (it was created with --cgroup-manager disabled)";
  std::string path_;
  std::vector<Hierarchy> hierarchies_;
};

}  // namespace

std::unique_ptr<Manager> no_cgroup() {
  return std::make_unique<NoCgroup>();
}

}  // namespace hull::cgroups
