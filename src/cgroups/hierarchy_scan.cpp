#include "cgroups/hierarchy_scan.hpp"

#include <sstream>

#include "linux/files.hpp"

namespace hull::cgroups {
namespace {

// Keeps controller names from super options like "rw,cpu,cpuacct" or "rw,name=systemd".
std::string controllers_of(const std::string& super_opts) {
  std::string out;
  std::stringstream ss(super_opts);
  std::string opt;
  while (std::getline(ss, opt, ',')) {
    if (opt == "rw" || opt == "ro" || opt == "clone_children" || opt == "noprefix" ||
        opt.rfind("release_agent=", 0) == 0 || opt == "xattr" || opt == "cpuset_v2_mode") {
      continue;
    }
    if (!out.empty()) out += ',';
    out += opt;
  }
  return out;
}

}  // namespace

std::vector<MountedHierarchy> mounted_hierarchies() {
  std::vector<MountedHierarchy> out;
  std::stringstream in(linux_::read_file("/proc/self/mountinfo"));
  std::string line;
  while (std::getline(in, line)) {
    auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::stringstream pre(line.substr(0, dash)), post(line.substr(dash + 3));
    std::string id, parent, devno, root, mountpoint, fstype, source, super_opts;
    pre >> id >> parent >> devno >> root >> mountpoint;
    post >> fstype >> source >> super_opts;
    if (fstype == "cgroup") {
      out.push_back({controllers_of(super_opts), mountpoint, false});
    } else if (fstype == "cgroup2") {
      out.push_back({"", mountpoint, true});
    }
  }
  return out;
}

std::string own_cgroup(const std::string& name) {
  std::stringstream in(linux_::read_file("/proc/self/cgroup"));
  std::string line;
  while (std::getline(in, line)) {
    auto c1 = line.find(':');
    auto c2 = line.find(':', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos) continue;
    if (line.substr(c1 + 1, c2 - c1 - 1) == name) return line.substr(c2 + 1);
  }
  return "/";
}

}  // namespace hull::cgroups
