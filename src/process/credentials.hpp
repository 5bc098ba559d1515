// The process's identity and limits: user/groups, rlimits, oom_score_adj, umask.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::process {

// setgroups + setresgid + setresuid. Capabilities survive when PR_SET_KEEPCAPS is set.
void set_user(const spec::User& user, bool allow_setgroups = true);
// A limit the runtime applies only just before execve: RLIMIT_NOFILE below kNofileFloor
// would leave hull itself no descriptor for the rest of the setup (runc then fails with
// "too many open files" naming nothing).
struct LateRlimit {
  size_t index = 0;  // in process.rlimits, for errors
  spec::POSIXRlimit limit;
};
inline constexpr uint64_t kNofileFloor = 64;

// Applies process.rlimits; an RLIMIT_NOFILE soft limit under kNofileFloor is applied at the
// floor now and returned, to be lowered by apply_late_rlimit (lowering needs no privilege).
std::optional<LateRlimit> apply_rlimits(const std::vector<spec::POSIXRlimit>& rlimits);
void apply_late_rlimit(const LateRlimit& late);
void set_oom_score_adj(int value);
// Looks args[0] up the way execvp would, with PATH from the process env; throws the wording
// engines map to exit codes ("no such file or directory" -> 127, "permission denied" -> 126).
std::string find_executable(const std::string& name, const std::vector<std::string>& env);

// The fields of the /etc/passwd line (name:password:uid:gid:gecos:home:shell) of uid in the
// given file text, or nullopt.
std::optional<std::vector<std::string>> passwd_fields(const std::string& passwd_text, uint32_t uid);

// The env with HOME added when it has none: the user's home from the container's
// /etc/passwd, else "/" (what runc does).
std::vector<std::string> with_home(const std::vector<std::string>& env, uint32_t uid);

}  // namespace hull::process
