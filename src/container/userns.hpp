// The container's user namespace maps, written by the creator once the child is in it. Root
// writes /proc/PID/uid_map and gid_map itself; a user who is not root may write only the one
// line that maps their own id (and for gid_map only after setgroups is denied, as the kernel
// requires); every other mapping (the /etc/subuid ranges) goes through the setuid helpers
// newuidmap and newgidmap (Debian's uidmap), which check the ranges against /etc/subuid and
// /etc/subgid. runc does the same; hull keeps no privileged helper of its own.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::container {

// How one map is written, decided from the caller's effective id (pure: unit-tested).
enum class MapWriter {
  kDirect,           // write the file (root, or the caller's own single id)
  kDirectDenyFirst,  // gid_map of the caller's own gid: "deny" to setgroups, then write
  kHelper,           // newuidmap / newgidmap
};
MapWriter uid_map_writer(const std::vector<spec::LinuxIDMapping>& maps, uid_t euid);
MapWriter gid_map_writer(const std::vector<spec::LinuxIDMapping>& maps, uid_t euid, gid_t egid);

// The helper's command line: PROGRAM PID then ID HOSTID SIZE per mapping.
std::vector<std::string> map_helper_argv(const std::string& program, pid_t pid,
                                         const std::vector<spec::LinuxIDMapping>& maps);

// For a caller that is not root: every bind mount's source must be readable by the caller
// (a mount in the container's user namespace would not check it, and would hand over a view
// of something the user cannot read). Throws naming /mounts/N and the source.
void check_bind_sources_readable(const spec::Spec& s, const std::string& bundle);

// Writes both maps of pid; errors name /linux/uidMappings or /linux/gidMappings and carry the
// helper's own words.
void write_id_maps(pid_t pid, const spec::Spec& s);

}  // namespace hull::container
