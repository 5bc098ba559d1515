// Keeps the host's hull binary out of a container's reach (the CVE-2019-5736 class): every
// process container code can see through /proc/self/exe or /proc/<pid>/exe (the init before
// its execve, the intermediate, exec's children) must run from a copy that cannot be written.
#pragma once

namespace hull::linux_ {

// Where the read-only views of the binary live, one per binary (named by device and inode).
inline constexpr const char* kSelfViewDir = "/run/hull/.exe";

// Re-executes hull (argv, the environment) from a read-only bind mount of its binary, made
// once under kSelfViewDir and reused, or, where no mount can be made (no privilege), from a
// sealed memfd copy; returns when hull already runs from a read-only or sealed binary. For the
// commands that clone container processes (create, run, exec: cli decides), after the parse.
void protect_self_exe(char** argv);

// For a command that does not protect itself: drops the marker of a re-execution that the
// entry point (cli/prestart.c) made for a word of argv that was not the command ("state run"),
// so that nothing this command starts inherits it.
void forget_reexecution();

// Whether this process is protect_self_exe's re-execution (until protect_self_exe runs in it).
// A test build that counts system calls starts counting there, not in the process that
// re-executes.
bool reexecuted_protected();

}  // namespace hull::linux_
