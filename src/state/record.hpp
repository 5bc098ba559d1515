// What hull remembers about a container between commands: <root>/<id>/state.json.
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace hull::state {

struct Record {
  std::string id;
  std::string bundle;       // absolute
  std::string rootfs;       // absolute
  std::string created;      // RFC 3339, UTC
  std::string owner;        // user name of the creator ("" for root, as runc prints)
  pid_t pid = 0;            // init pid as the host sees it
  uint64_t start_time = 0;  // /proc/<pid>/stat field 22, guards against pid reuse
  std::string cgroup_path;  // resolved cgroupsPath the container lives in
  bool systemd_cgroup = false;
  // The cgroup directory on each hierarchy: {name, mountpoint, dir}. A relative cgroupsPath
  // resolves differently per v1 hierarchy and per caller, so later commands reuse these.
  std::vector<std::array<std::string, 3>> cgroup_dirs;
  std::map<std::string, std::string> annotations;
  // Written from the first moment `create` has made anything; cleared by its last save. A
  // record still marked creating whose directory nobody holds locked is a create that died
  // half way: it lists as stopped and `delete` removes what it made.
  bool creating = false;
  // The cgroup held processes of others when the container was created (runc warns and goes
  // on): delete and kill leave them alone where the container has its own pid namespace.
  bool shared_cgroup = false;
  // Files beside state.json that this runtime wrote and checked (config.json): name ->
  // fingerprint (fingerprint.hpp), so later commands can tell them unchanged.
  std::map<std::string, std::string> checked;
};

std::string to_json(const Record& r);
Record from_json(const std::string& text, const std::string& source);

// The OCI state JSON of runtime.md (plus runc's rootfs/created/owner), pretty or compact.
std::string oci_state_json(const Record& r, const std::string& status, bool pretty);

}  // namespace hull::state
