// User and group ids: the one range check every path that takes an id goes through
// (config.json, `exec --process`, `exec -u` and `--additional-gids`, id mappings, devices).
// An id above INT32_MAX is refused as runc refuses it: 4294967295 is -1 to setresuid and
// chown ("leave unchanged"), so it would keep root; the rest of that range is negative where
// any tool reads ids as signed.
#pragma once

#include <cstdint>
#include <string_view>

#include "spec/model.hpp"

namespace hull::spec {

inline constexpr uint32_t kMaxId = 2147483647;

// Throws hull::Error "<where>: <id> is out of range (uids and gids must be 0 to 2147483647)".
void check_id(uint64_t id, std::string_view where);

// A decimal id from the command line: digits only, in range; errors name `what` (the flag):
//   --user: invalid value "-1": not a numeric id
uint32_t parse_id(std::string_view text, std::string_view what);

// One uidMappings/gidMappings entry: size at least 1, and neither the container's nor the
// host's range may run past 4294967294 (the kernel refuses a range that wraps, and -1).
// where is the pointer of the entry, source the file.
void check_id_mapping(const LinuxIDMapping& m, std::string_view source, std::string_view where);

}  // namespace hull::spec
