#include <linux/magic.h>
#include <sys/statfs.h>

#include "cgroups/fs_util.hpp"
#include "cgroups/hierarchy_scan.hpp"
#include "cgroups/manager.hpp"
#include "cgroups/rootless.hpp"
#include "cgroups/systemd.hpp"
#include "cgroups/systemd_unit.hpp"
#include "cgroups/v1.hpp"
#include "cgroups/v2.hpp"
#include "hull/error.hpp"

namespace hull::cgroups {
namespace {

constexpr const char* kRoot = "/sys/fs/cgroup";

// Resolves a relative path against this process's own cgroup in that hierarchy.
std::string resolve(const std::string& path, const std::string& hierarchy_name) {
  if (!path.empty() && path.front() == '/') return path;
  std::string own = own_cgroup(hierarchy_name);
  if (own.empty() || own == "/") return "/" + path;
  return own + "/" + path;
}

}  // namespace

Layout host_layout() {
  static const Layout layout = [] {
    struct statfs st;
    if (::statfs(kRoot, &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC) return Layout::kV2;
    return Layout::kV1;
  }();
  return layout;
}

namespace {

// The cgroupfs manager for a path on the host's layout.
std::unique_ptr<Manager> open_fs(const std::string& cgroups_path, const std::string& path) {
  if (path.find("/../") != std::string::npos || path.ends_with("/..") ||
      path.rfind("../", 0) == 0 || path == "..") {
    throw Error("cgroupsPath \"" + cgroups_path + "\": must not contain \"..\"");
  }
  if (host_layout() == Layout::kV2) {
    return std::make_unique<V2Manager>(kRoot, resolve(path, ""));
  }
  std::vector<Manager::Hierarchy> hs;
  for (const auto& m : mounted_hierarchies()) {
    if (m.mountpoint.rfind(std::string(kRoot) + "/", 0) != 0) continue;
    // Something mounted over a hierarchy (a tmpfs hiding the empty cgroup2, say) hides it.
    struct statfs st;
    if (::statfs(m.mountpoint.c_str(), &st) < 0 ||
        (st.f_type != CGROUP_SUPER_MAGIC && st.f_type != CGROUP2_SUPER_MAGIC)) {
      continue;
    }
    bool dup = false;
    for (const auto& h : hs) dup = dup || h.name == m.name;
    if (dup) continue;
    std::string p = resolve(path, m.name);
    hs.push_back({m.name, m.mountpoint, join(m.mountpoint, p)});
  }
  if (hs.empty()) throw Error("no cgroup hierarchy is mounted under /sys/fs/cgroup");
  return std::make_unique<V1Manager>(resolve(path, "memory"), std::move(hs));
}

}  // namespace

std::unique_ptr<Manager> open_manager(const std::string& cgroups_path, const std::string& id,
                                      bool systemd, bool rootless) {
  if (systemd) {
    SystemdUnit u = parse_systemd_path(cgroups_path, id);
    auto fs = open_fs(cgroups_path, u.path);
    return std::make_unique<SystemdManager>(std::move(u), std::move(fs), false);
  }
  if (rootless) {
    std::string path = cgroups_path.empty()
                           ? rootless_default_path(id, host_layout(), own_cgroup(""))
                           : cgroups_path;
    return rootless_manager(open_fs(cgroups_path, path), cgroups_path);
  }
  return open_fs(cgroups_path, cgroups_path.empty() ? "/" + id : cgroups_path);
}

}  // namespace hull::cgroups

namespace hull::cgroups {

namespace {

std::unique_ptr<Manager> reopen_fs(const std::string& path,
                                   const std::vector<std::array<std::string, 3>>& dirs) {
  if (dirs.empty()) return open_manager(path, "", false, false);
  if (dirs.size() == 1 && dirs.front()[0].empty()) {
    return std::make_unique<V2Manager>(dirs.front()[1], path);
  }
  std::vector<Manager::Hierarchy> hs;
  for (const auto& d : dirs) hs.push_back({d[0], d[1], d[2]});
  return std::make_unique<V1Manager>(path, std::move(hs));
}

}  // namespace

std::unique_ptr<Manager> reopen_manager(const std::string& path,
                                        const std::vector<std::array<std::string, 3>>& dirs,
                                        bool systemd) {
  if (dirs.empty() && path.empty()) return no_cgroup();
  auto fs = reopen_fs(path, dirs);
  if (!systemd) return fs;
  // The unit is the last part of the path systemd gave it.
  SystemdUnit u;
  u.name = path.substr(path.find_last_of('/') + 1);
  u.path = path;
  return std::make_unique<SystemdManager>(std::move(u), std::move(fs), true);
}

}  // namespace hull::cgroups
