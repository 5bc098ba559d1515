// Writes into procfs that a mount planted over /proc (or over a file under it) cannot
// redirect: the directory and the file opened are both checked to be a real procfs, and the
// walk from /proc never crosses into another mount or follows a magic link. Here, below
// process/ and rootfs/, because both write there (oom_score_adj, sysctls, id maps).
#pragma once

#include <string>
#include <string_view>

#include "linux/fd.hpp"

namespace hull::linux_ {

// Opens the current root's /proc and checks it is procfs. Throws naming what it found.
Fd open_procfs(const std::string& root = "/proc");

// Writes content to rel (e.g. "self/oom_score_adj", "sys/net/ipv4/ip_forward") below proc_fd.
void write_proc(int proc_fd, const std::string& rel, std::string_view content);

// Both steps at once, for a single write.
void write_proc(const std::string& rel, std::string_view content);

}  // namespace hull::linux_
