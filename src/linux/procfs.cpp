#include "linux/procfs.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sys/vfs.h>

#include "hull/error.hpp"
#include "linux/kernel.hpp"
#include "linux/syscalls.hpp"

namespace hull::linux_ {
namespace {

void require_procfs(int fd, const std::string& what) {
  struct statfs sfs;
  if (::fstatfs(fd, &sfs) < 0) throw Error::sys("fstatfs " + what);
  if (sfs.f_type != PROC_SUPER_MAGIC) {
    throw Error(what + " is not on procfs (a mount was planted over it?)");
  }
}

}  // namespace

Fd open_procfs(const std::string& root) {
  Fd fd(kernel().openat(AT_FDCWD, root.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0));
  if (!fd) throw Error::sys("opening " + root);
  require_procfs(fd.get(), root);
  return fd;
}

void write_proc(int proc_fd, const std::string& rel, std::string_view content) {
  std::string name = "/proc/" + rel;
  // "self" and "thread-self" are plain symlinks inside procfs; magic links (fd/, exe, cwd)
  // and other mounts are refused.
  Fd fd(openat2_raw(proc_fd, rel.c_str(), O_WRONLY | O_CLOEXEC | O_NOCTTY, 0,
                    RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV));
  if (!fd) throw Error::sys("opening " + name);
  require_procfs(fd.get(), name);
  ssize_t n;
  do {
    n = kernel().write(fd.get(), content.data(), content.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) throw Error::sys("writing " + name);
  if (static_cast<size_t>(n) != content.size()) throw Error("short write to " + name);
}

void write_proc(const std::string& rel, std::string_view content) {
  Fd proc = open_procfs();
  write_proc(proc.get(), rel, content);
}

}  // namespace hull::linux_
