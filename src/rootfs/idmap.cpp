#include "rootfs/idmap.hpp"

#include <fcntl.h>
#include <linux/mount.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "linux/kernel.hpp"
#include "linux/procfs.hpp"
#include "linux/sys.hpp"
#include "linux/syscalls.hpp"
#include "spec/id_maps.hpp"

namespace hull::rootfs {
namespace {

pid_t pid_in_procfs(int proc_fd, int pidfd) {
  std::string rel = "self/fdinfo/" + std::to_string(pidfd);
  linux_::Fd fd(linux_::kernel().openat(proc_fd, rel.c_str(), O_RDONLY | O_CLOEXEC, 0));
  if (!fd) throw Error::sys("opening /proc/" + rel);
  char buf[1024];
  ssize_t n = linux_::kernel().read(fd.get(), buf, sizeof(buf) - 1);
  if (n <= 0) throw Error::sys("reading /proc/" + rel);
  buf[n] = 0;
  const char* at = std::strstr(buf, "\nPid:");
  if (!at) throw Error("/proc/" + rel + ": no Pid line");
  return static_cast<pid_t>(std::atoi(at + 5));
}

// A user namespace with the mount's mappings, held by a helper that waits on a pipe only
// until its namespace is open here.
linux_::Fd mapping_userns(const spec::Mount& m) {
  auto [rd, wr] =
      with_context("idmapped mount: helper pipe", [] { return linux_::sys::pipe2(O_CLOEXEC); });
  linux_::CloneArgs ca;
  ca.flags = CLONE_NEWUSER;
  auto child = linux_::clone3(ca);
  if (child.pid == 0) {
    wr.reset();
    char c;
    (void)!linux_::kernel().read(rd.get(), &c, 1);
    ::_exit(0);
  }
  rd.reset();
  struct Reaper {
    pid_t pid;
    linux_::Fd& wr;
    ~Reaper() {
      wr.reset();
      while (linux_::kernel().waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
  } reaper{child.pid, wr};
  linux_::Fd proc = linux_::open_procfs();
  // The init may sit in a new PID namespace while this /proc is the host's: name the helper
  // by its pid there, which its pidfd's fdinfo gives in the pid namespace of this procfs.
  std::string base = std::to_string(pid_in_procfs(proc.get(), child.pidfd.get()));
  with_context("uidMappings", [&] {
    linux_::write_proc(proc.get(), base + "/uid_map", spec::id_map_text(m.uidMappings));
  });
  with_context("gidMappings", [&] {
    linux_::write_proc(proc.get(), base + "/gid_map", spec::id_map_text(m.gidMappings));
  });
  std::string ns = "/proc/" + base + "/ns/user";
  linux_::Fd fd(linux_::kernel().openat(AT_FDCWD, ns.c_str(), O_RDONLY | O_CLOEXEC, 0));
  if (!fd) throw Error::sys("opening " + ns);
  return fd;
}

}  // namespace

void idmapped_bind(const std::string& source, int dest_fd, const spec::Mount& m, bool recursive) {
  unsigned rec = recursive ? AT_RECURSIVE : 0;
  linux_::Kernel& k = linux_::kernel();
  linux_::Fd tree(k.open_tree(AT_FDCWD, source.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | rec));
  if (!tree) throw Error::sys("open_tree " + source);
  linux_::Fd userns = mapping_userns(m);
  struct mount_attr attr = {};
  attr.attr_set = MOUNT_ATTR_IDMAP;
  attr.userns_fd = static_cast<uint64_t>(userns.get());
  if (k.mount_setattr(tree.get(), "", AT_EMPTY_PATH | rec, &attr, sizeof(attr)) < 0) {
    throw Error::sys("idmapping " + source +
                     " (the filesystem must support idmapped mounts; the runtime needs "
                     "CAP_SYS_ADMIN over its owner)");
  }
  if (k.move_mount(tree.get(), "", dest_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
      0) {
    throw Error::sys("moving the idmapped mount of " + source + " into place");
  }
}

}  // namespace hull::rootfs
