// The container's cgroup, on whichever layout the host has: v1 (and hybrid) or pure v2.
#pragma once

#include <sys/types.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "cgroups/stats.hpp"
#include "linux/cgroup_hierarchy.hpp"
#include "linux/fd.hpp"
#include "spec/model.hpp"

namespace hull::cgroups {

enum class Layout { kV1, kV2 };

// Detected once per process from the filesystem type of /sys/fs/cgroup.
Layout host_layout();

// Whether the caller is not root (--rootless auto outside a user namespace); rootless.cpp.
bool rootless_caller();

class Manager {
 public:
  virtual ~Manager() = default;

  // Makes the cgroup directories (idempotent). Throws, leaving nothing made, when the cgroup
  // is frozen (its own freezer or a parent's).
  virtual void create() = 0;
  // Moves pid into the cgroup on every hierarchy.
  virtual void add(pid_t pid) = 0;
  // How a child made by clone3 gets into the cgroup. On v1 the child writes "0" into each
  // hierarchy's `tasks` itself: moving one's own thread is the one migration that does not
  // take the kernel's threadgroup rwsem for writing (Linux 6.0), whose RCU grace period made
  // a pid written to cgroup.procs cost 13-22 ms on this hybrid host (bench/README.md); the
  // hybrid layout's cgroup2 hierarchy is joined by CLONE_INTO_CGROUP, which takes it only for
  // reading. Where neither works, the pid is add()ed.
  struct CloneJoin {
    int into_fd = -1;                    // CLONE_INTO_CGROUP target (a cgroup2 directory)
    std::vector<linux_::Fd> self_files;  // the child writes "0" into each
    bool add_pid = false;                // the rest: add() the child's pid
  };
  virtual CloneJoin clone_join() {
    CloneJoin j;
    j.into_fd = clone_into_fd();
    j.add_pid = j.into_fd < 0;
    return j;
  }
  // A directory fd for clone3(CLONE_INTO_CGROUP), or -1 where the layout has none.
  virtual int clone_into_fd() { return -1; }
  // Host pids of every process in the cgroup and the child cgroups below it.
  virtual std::vector<pid_t> pids() const = 0;
  // Writes the resources (and the device rules, completed with the defaults every container
  // needs) into the cgroup. origin names their source in errors ("config.json:
  // /linux/resources"). With update set, absent or zero fields are left as they are and the
  // device rules are not touched (as runc's update).
  virtual void apply(const spec::LinuxResources& r, const std::string& origin, bool update) = 0;
  // Usage counters for `events`; controllers the host lacks read as zero.
  virtual Stats stats() const = 0;
  // Sends sig to every process in the cgroup and below (kill --all). Pid by pid by default;
  // v2 writes cgroup.kill for SIGKILL where the kernel has it (5.14).
  virtual void signal_all(int sig);
  // Freezes or thaws and waits until the kernel reports it; a freeze that never completes is
  // an error, and the cgroup is thawed back.
  virtual void freeze(bool frozen) = 0;
  virtual bool frozen() const = 0;
  // Thaws the cgroup and every child cgroup the container froze, without waiting: on v1 a
  // frozen task does not die of SIGKILL until thawed (nor does a pid namespace's init whose
  // children are frozen).
  virtual void thaw_tree() = 0;
  // Removes the directories and any child cgroups the container made, deepest first;
  // processes still inside (also frozen ones) are killed first.
  virtual void destroy() = 0;
  // The path inside each hierarchy ("/a/b").
  virtual const std::string& path() const = 0;
  // Mountpoint + path of each hierarchy, for bind-mounting into the container (v1) or the
  // single v2 directory.
  using Hierarchy = linux_::CgroupHierarchy;
  virtual const std::vector<Hierarchy>& hierarchies() const = 0;
  // What a cgroup mount in the container binds: hierarchies(), except for a rootless
  // container without a cgroup of its own, which sees its caller's cgroups (as with runc).
  virtual const std::vector<Hierarchy>& mount_view() const { return hierarchies(); }
  // Whether apply() writes device rules; a rootless caller's manager turns them off (rootless.hpp).
  bool device_rules() const { return device_rules_; }
  void set_device_rules(bool on) { device_rules_ = on; }

 private:
  bool device_rules_ = true;
};

// Resolves the cgroupsPath of a config (absolute, relative to hull's own cgroup, empty for the
// default "/<id>") into a manager for the host's layout; with systemd, cgroupsPath is
// slice:prefix:name and the manager is a transient systemd unit (systemd.hpp). rootless
// (--rootless, resolved as runc does): runc's rootless cgroup rules apply (rootless.hpp).
std::unique_ptr<Manager> open_manager(const std::string& cgroups_path, const std::string& id,
                                      bool systemd, bool rootless = rootless_caller());

// --cgroup-manager disabled: a manager that makes and joins nothing and has an empty path()
// and no hierarchies, which is how the state records it.
std::unique_ptr<Manager> no_cgroup();

// Reopens a container's cgroup from the directories recorded at create (name, mountpoint,
// dir); falls back to resolving path when none were recorded, and to no_cgroup() when the
// container was created without one (empty path, no dirs). systemd: it was created with
// --systemd-cgroup, so update and delete go through its unit.
std::unique_ptr<Manager> reopen_manager(const std::string& path,
                                        const std::vector<std::array<std::string, 3>>& dirs,
                                        bool systemd = false);

}  // namespace hull::cgroups
