// A container without a cgroup of its own: nothing is made or joined (its processes stay in
// the caller's cgroups). Two ways lead here: crun's --cgroup-manager disabled, which ignores
// the config's resources at create as crun does, and a rootless caller without a writable
// cgroup (rootless.hpp), where a config asking for a limit fails naming it, as with runc.
// What needs a cgroup later says there is none.
#include "cgroups/manager.hpp"
#include "cgroups/rootless.hpp"
#include "hull/error.hpp"

namespace hull::cgroups {
namespace {

// The state record keeps no cgroup either way, so later commands cannot tell which it was.
constexpr const char* kNone =
    "the container has no cgroup (it was created with --cgroup-manager disabled, or by a "
    "user without a writable cgroup)";

class NoCgroup : public Manager {
 public:
  // rootless_why: empty for --cgroup-manager disabled; else why the caller has no cgroup.
  explicit NoCgroup(std::string rootless_why = "", std::vector<Hierarchy> view = {})
      : rootless_why_(std::move(rootless_why)), view_(std::move(view)) {}
  void create() override {}
  void add(pid_t) override {}
  // Nothing lists the container's processes: ps says so rather than showing none.
  std::vector<pid_t> pids() const override {
    throw Error(std::string("listing the container's processes: ") + kNone);
  }
  void signal_all(int) override {}
  void apply(const spec::LinuxResources& r, const std::string& origin, bool update) override {
    if (update) throw Error(origin + (origin.ends_with(": ") ? "" : ": ") + kNone);
    if (rootless_why_.empty()) return;
    std::string field = first_limit(r);
    if (field.empty()) return;
    throw Error(origin + "/" + field + ": a limit needs a cgroup, and a rootless container " +
                "has none here: " + rootless_why_ +
                " (delegate a cgroup v2 subtree to the user, or drop the limit)");
  }
  Stats stats() const override { throw Error(std::string("stats: ") + kNone); }
  void freeze(bool) override { throw Error(std::string("freezing: ") + kNone); }
  bool frozen() const override { return false; }
  void thaw_tree() override {}
  void destroy() override {}
  const std::string& path() const override { return path_; }
  const std::vector<Hierarchy>& hierarchies() const override { return hierarchies_; }
  const std::vector<Hierarchy>& mount_view() const override { return view_; }

 private:
  std::string rootless_why_;
  std::string path_;
  std::vector<Hierarchy> hierarchies_;
  std::vector<Hierarchy> view_;
};

}  // namespace

std::unique_ptr<Manager> no_cgroup() {
  return std::make_unique<NoCgroup>();
}

std::unique_ptr<Manager> no_writable_cgroup(std::string why, std::vector<Manager::Hierarchy> view) {
  return std::make_unique<NoCgroup>(std::move(why), std::move(view));
}

}  // namespace hull::cgroups
