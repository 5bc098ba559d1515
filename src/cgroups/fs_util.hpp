// File operations shared by the v1 and v2 managers.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace hull::cgroups {

std::vector<pid_t> read_pids(const std::string& procs_file);
void write_pid(const std::string& procs_file, pid_t pid);
// rmdir that tolerates a missing dir and retries while the last processes are being reaped.
void remove_dir(const std::string& dir);
// dir and every cgroup below it, children before their parent (empty when dir is missing).
std::vector<std::string> subtree(const std::string& dir);
// Removes dir and the child cgroups a container made in it (systemd, docker-in-docker),
// deepest first.
void remove_tree(const std::string& dir);
// The first directory on the way from mountpoint down to dir that does not exist yet ("" when
// dir exists): what a failed create must remove.
std::string first_missing(const std::string& mountpoint, const std::string& dir);
// Pids in dir and every cgroup below it.
std::vector<pid_t> read_pids_below(const std::string& dir);
// SIGKILLs every process in dir's subtree, again while new ones show up (a process that
// forked meanwhile); for hosts without cgroup.kill.
void kill_below(const std::string& dir);
std::string trim(std::string s);
// Whether a v1 hierarchy's name ("cpu,cpuacct", "name=systemd") holds the controller.
bool has_controller(const std::string& names, const std::string& controller);
// Joins a hierarchy's mountpoint and a cgroup path ("/a/b").
std::string join(const std::string& mountpoint, const std::string& path);

}  // namespace hull::cgroups
