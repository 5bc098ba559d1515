// Checked system calls: each goes through kernel() (linux/kernel.hpp) and throws
// hull::Error::sys naming the call and its object when it fails. Callers add what they were
// doing with hull::with_context or Error::context. For a failure the caller handles itself
// (ENOENT as "absent", EBUSY …), call kernel().NAME directly: it returns -1 with errno.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <utility>

#include "linux/fd.hpp"
#include "linux/kernel.hpp"

namespace hull::linux_::sys {

Fd openat(int dirfd, const char* path, int flags, unsigned mode = 0);
void mkdirat(int dirfd, const char* path, unsigned mode);
void mknodat(int dirfd, const char* path, unsigned mode, dev_t dev);
void symlinkat(const char* target, int dirfd, const char* path);
void unlinkat(int dirfd, const char* path, int flags);
void fchownat(int dirfd, const char* path, uid_t uid, gid_t gid, int flags);
void fchown(int fd, uid_t uid, gid_t gid, const char* what);
void fchmod(int fd, unsigned mode, const char* what);

void mount(const char* source, const char* target, const char* fstype, unsigned long flags,
           const void* data = nullptr);
void umount2(const char* target, int flags);
void chroot(const char* path);
void chdir(const char* path);
void fchdir(int fd, const char* what);

void setns(int fd, int nstype, const char* what);
void unshare(int flags);
void sethostname(std::string_view name);
void setdomainname(std::string_view name);
void setresuid(uid_t uid);  // real, effective and saved
void setresgid(gid_t gid);
void setgroups(size_t n, const gid_t* list);
// what names the option in errors ("PR_SET_DUMPABLE").
void prctl(int option, unsigned long a2, unsigned long a3, unsigned long a4, unsigned long a5,
           const char* what);
pid_t setsid();

// Retries EINTR; throws on any other failure (ECHILD included).
pid_t waitpid(pid_t pid, int* status, int options);
void kill(pid_t pid, int sig);

// dup2's contract (oldfd == newfd only checks oldfd), close-on-exec cleared on newfd.
void dup2(int oldfd, int newfd);
int fcntl(int fd, int cmd, long arg, const char* what);
void ioctl(int fd, unsigned long request, void* arg, const char* what);
Fd socket(int domain, int type, int protocol);

// A pipe: {read end, write end}.
std::pair<Fd, Fd> pipe2(int flags);
// A fifo at path (mknodat S_IFIFO).
void mkfifo(const char* path, unsigned mode);
// Retries EINTR; what names the wait in errors. Returns poll's count (0: timed out).
int poll(pollfd* fds, unsigned long n, int timeout_ms, const char* what);

}  // namespace hull::linux_::sys
