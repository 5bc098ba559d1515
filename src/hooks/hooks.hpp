// Running OCI hooks: the container state JSON on stdin, args/env/timeout from the config.
#pragma once

#include <string>
#include <vector>

#include "spec/model.hpp"

namespace hull::hooks {

// Runs one hook and waits for it. Throws hull::Error naming the hook when it cannot start,
// exits non-zero, is killed, or outlives its timeout; its stdout/stderr are in the message.
// The hook sees only its stdio (every other fd is closed) and runs in cwd when one is given
// (createContainer: the rootfs, as runc).
void run_hook(const spec::Hook& hook, const std::string& state_json, const std::string& cwd = "");

// Runs every hook of a stage in order. `stage` names the stage in errors ("createRuntime").
// With fatal = false (poststart, poststop), a failure is a warning and the rest still run.
void run_stage(const std::vector<spec::Hook>& hooks, const std::string& stage,
               const std::string& state_json, bool fatal, const std::string& cwd = "");

}  // namespace hull::hooks
