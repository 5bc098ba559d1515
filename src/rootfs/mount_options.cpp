#include "rootfs/mount_options.hpp"

#include <linux/mount.h>
#include <sys/mount.h>

#include <string_view>

namespace hull::rootfs {
namespace {

struct FlagOption {
  std::string_view name;
  bool clear;
  unsigned long flag;
};

constexpr FlagOption kFlags[] = {
    {"async", true, MS_SYNCHRONOUS},
    {"atime", true, MS_NOATIME},
    {"bind", false, MS_BIND},
    {"defaults", false, 0},
    {"dev", true, MS_NODEV},
    {"diratime", true, MS_NODIRATIME},
    {"dirsync", false, MS_DIRSYNC},
    {"exec", true, MS_NOEXEC},
    {"iversion", false, MS_I_VERSION},
    {"lazytime", false, MS_LAZYTIME},
    {"loud", true, MS_SILENT},
    {"mand", false, MS_MANDLOCK},
    {"noatime", false, MS_NOATIME},
    {"nodev", false, MS_NODEV},
    {"nodiratime", false, MS_NODIRATIME},
    {"noexec", false, MS_NOEXEC},
    {"noiversion", true, MS_I_VERSION},
    {"nolazytime", true, MS_LAZYTIME},
    {"nomand", true, MS_MANDLOCK},
    {"norelatime", true, MS_RELATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"nosuid", false, MS_NOSUID},
    {"rbind", false, MS_BIND | MS_REC},
    {"relatime", false, MS_RELATIME},
    {"remount", false, MS_REMOUNT},
    {"ro", false, MS_RDONLY},
    {"rw", true, MS_RDONLY},
    {"silent", false, MS_SILENT},
    {"strictatime", false, MS_STRICTATIME},
    {"suid", true, MS_NOSUID},
    {"sync", false, MS_SYNCHRONOUS},
};

struct PropagationOption {
  std::string_view name;
  unsigned long flag;
};

constexpr PropagationOption kPropagation[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

struct AttrOption {
  std::string_view name;
  bool clear;
  uint64_t attr;
};

constexpr AttrOption kRecursive[] = {
    {"rro", false, MOUNT_ATTR_RDONLY},
    {"rrw", true, MOUNT_ATTR_RDONLY},
    {"rnosuid", false, MOUNT_ATTR_NOSUID},
    {"rsuid", true, MOUNT_ATTR_NOSUID},
    {"rnodev", false, MOUNT_ATTR_NODEV},
    {"rdev", true, MOUNT_ATTR_NODEV},
    {"rnoexec", false, MOUNT_ATTR_NOEXEC},
    {"rexec", true, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", false, MOUNT_ATTR_NODIRATIME},
    {"rdiratime", true, MOUNT_ATTR_NODIRATIME},
    {"rnoatime", false, MOUNT_ATTR_NOATIME},
    {"rrelatime", false, MOUNT_ATTR_RELATIME},
    {"rstrictatime", false, MOUNT_ATTR_STRICTATIME},
    {"rnosymfollow", false, MOUNT_ATTR_NOSYMFOLLOW},
    {"rsymfollow", true, MOUNT_ATTR_NOSYMFOLLOW},
};

}  // namespace

std::vector<std::string> known_mount_options() {
  std::vector<std::string> out;
  for (const auto& f : kFlags) out.emplace_back(f.name);
  for (const auto& p : kPropagation) out.emplace_back(p.name);
  for (const auto& a : kRecursive) out.emplace_back(a.name);
  return out;
}

bool MountOptions::bind() const {
  return (flags & MS_BIND) != 0;
}

MountOptions parse_mount_options(const std::vector<std::string>& options) {
  MountOptions out;
  for (const std::string& opt : options) {
    bool known = false;
    for (const auto& f : kFlags) {
      if (opt == f.name) {
        if (f.clear) {
          out.flags &= ~f.flag;
        } else {
          out.flags |= f.flag;
        }
        known = true;
        break;
      }
    }
    for (const auto& p : kPropagation) {
      if (!known && opt == p.name) {
        out.propagation.push_back(p.flag);
        known = true;
      }
    }
    for (const auto& a : kRecursive) {
      if (!known && opt == a.name) {
        if (a.clear) {
          out.attr_clr |= a.attr;
        } else {
          out.attr_set |= a.attr;
        }
        // The atime modes are one field: setting one clears the others.
        if (a.attr == MOUNT_ATTR_NOATIME || a.attr == MOUNT_ATTR_RELATIME ||
            a.attr == MOUNT_ATTR_STRICTATIME) {
          out.attr_clr |= MOUNT_ATTR__ATIME;
        }
        out.recursive_attrs = true;
        known = true;
      }
    }
    if (!known && (opt == "idmap" || opt == "ridmap")) {
      out.idmap = true;
      known = true;
    }
    // crun's tmpcopyup and similar runtime hints are not filesystem options.
    if (!known && opt == "tmpcopyup") known = true;
    if (!known) {
      if (!out.data.empty()) out.data += ',';
      out.data += opt;
    }
  }
  return out;
}

}  // namespace hull::rootfs
