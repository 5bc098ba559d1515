#include <linux/magic.h>
#include <sys/statfs.h>

#include "cgroups/fs_util.hpp"
#include "cgroups/hierarchy_scan.hpp"
#include "cgroups/manager.hpp"
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

std::string systemd_path(const std::string& cgroups_path, const std::string& id) {
  // slice:prefix:name -> /<expanded slice>/<prefix>-<name>.scope
  std::string slice = "system.slice", prefix = "hull", name = id;
  if (!cgroups_path.empty()) {
    auto c1 = cgroups_path.find(':');
    auto c2 = cgroups_path.find(':', c1 == std::string::npos ? c1 : c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) {
      throw Error("cgroupsPath \"" + cgroups_path +
                  "\": expected slice:prefix:name with --systemd-cgroup");
    }
    slice = cgroups_path.substr(0, c1);
    prefix = cgroups_path.substr(c1 + 1, c2 - c1 - 1);
    name = cgroups_path.substr(c2 + 1);
    if (slice.empty()) slice = "system.slice";
  }
  // "a-b-c.slice" lives at a.slice/a-b.slice/a-b-c.slice.
  std::string out;
  std::string base = slice.substr(0, slice.size() - (slice.size() > 6 ? 6 : 0));
  size_t pos = 0;
  while ((pos = base.find('-', pos)) != std::string::npos) {
    out += "/" + base.substr(0, pos) + ".slice";
    ++pos;
  }
  out += "/" + slice;
  out += "/" + (prefix.empty() ? name : prefix + "-" + name) + ".scope";
  return out;
}

std::unique_ptr<Manager> open_manager(const std::string& cgroups_path, const std::string& id,
                                      bool systemd) {
  std::string path =
      systemd ? systemd_path(cgroups_path, id) : (cgroups_path.empty() ? "/" + id : cgroups_path);
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

}  // namespace hull::cgroups

namespace hull::cgroups {

std::unique_ptr<Manager> reopen_manager(const std::string& path,
                                        const std::vector<std::array<std::string, 3>>& dirs) {
  if (dirs.empty() && path.empty()) return no_cgroup();
  if (dirs.empty()) return open_manager(path, "", false);
  if (dirs.size() == 1 && dirs.front()[0].empty()) {
    return std::make_unique<V2Manager>(dirs.front()[1], path);
  }
  std::vector<Manager::Hierarchy> hs;
  for (const auto& d : dirs) hs.push_back({d[0], d[1], d[2]});
  return std::make_unique<V1Manager>(path, std::move(hs));
}

}  // namespace hull::cgroups
