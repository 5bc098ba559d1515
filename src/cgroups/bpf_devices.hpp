// cgroup v2 has no devices files: access is decided by a BPF_PROG_TYPE_CGROUP_DEVICE program
// attached to the container's cgroup. We assemble it by hand (no libbpf) from the rules.
#pragma once

#include <linux/bpf.h>

#include <vector>

#include "cgroups/device_rules.hpp"
#include "linux/fd.hpp"

namespace hull::cgroups {

// The program reads struct bpf_cgroup_dev_ctx {access_type, major, minor} from r1 and returns
// 1 (allow) or 0 (deny). Rules keep v1's meaning: a type-'a' rule resets the default and
// drops earlier rules; otherwise the last matching rule decides.
std::vector<bpf_insn> device_program(const std::vector<DeviceRule>& rules);

// BPF_PROG_LOAD; the verifier's log is part of the error.
linux_::Fd load_device_program(const std::vector<bpf_insn>& program);

// Attaches prog to the cgroup directory (BPF_F_ALLOW_MULTI), then detaches the programs that
// were there before, so an update never leaves a window without a filter.
void attach_device_program(int cgroup_dir_fd, int prog_fd);

}  // namespace hull::cgroups
