#include "linux/ns_visit.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdlib>
#include <iterator>
#include <string>

#include "hull/error.hpp"
#include "linux/sys.hpp"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace hull::linux_ {
namespace {

struct Kind {
  int flag;
  const char* back;  // our own, under /proc/self/ns
};

// Mount first on the way back: the rest are joined from where we stand, and the mount
// namespace resets root and cwd, which come back last.
constexpr Kind kKinds[] = {
    {CLONE_NEWNS, "/proc/self/ns/mnt"},
    {CLONE_NEWUTS, "/proc/self/ns/uts"},
    {CLONE_NEWIPC, "/proc/self/ns/ipc"},
    {CLONE_NEWNET, "/proc/self/ns/net"},
    {CLONE_NEWPID, "/proc/self/ns/pid_for_children"},
    {CLONE_NEWCGROUP, "/proc/self/ns/cgroup"},
    {CLONE_NEWTIME, "/proc/self/ns/time_for_children"},
};
static_assert(std::size(kKinds) == 7);

}  // namespace

NamespaceVisit::NamespaceVisit(int flags) : flags_(flags) {
  if (flags & CLONE_NEWUSER) throw Error("a user namespace cannot be visited and left");
  for (size_t i = 0; i < std::size(kKinds); ++i) {
    if (!(flags & kKinds[i].flag)) continue;
    back_[i] = with_context("keeping the way back from the container", [&] {
      return sys::openat(AT_FDCWD, kKinds[i].back, O_RDONLY | O_CLOEXEC);
    });
  }
  with_context("keeping the way back from the container", [&] {
    root_ = sys::openat(AT_FDCWD, "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    cwd_ = sys::openat(AT_FDCWD, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  });
}

NamespaceVisit::~NamespaceVisit() {
  if (!inside_) return;
  try {
    leave();
  } catch (const std::exception& e) {
    // Still partly inside the container: stop before anything touches a path that the
    // container now decides.
    std::string line = std::string("hull: ") + e.what() + "\n";
    (void)!::write(2, line.data(), line.size());
    ::_exit(1);
  }
}

void NamespaceVisit::enter(int pidfd, int root_fd) {
  dumpable_ = ::prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
  sys::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0, "PR_SET_DUMPABLE");
  inside_ = true;
  if (flags_) sys::setns(pidfd, flags_, "of the init (pidfd)");
  sys::fchdir(root_fd, "/proc/<init>/root");
  sys::chroot(".");
  sys::chdir("/");
}

void NamespaceVisit::leave() {
  with_context("leaving the container's namespaces", [&] {
    for (size_t i = 0; i < std::size(kKinds); ++i) {
      if (back_[i]) sys::setns(back_[i].get(), kKinds[i].flag, kKinds[i].back);
    }
    sys::fchdir(root_.get(), "our root");
    sys::chroot(".");
    sys::fchdir(cwd_.get(), "our working directory");
  });
  inside_ = false;
  if (dumpable_ > 0) sys::prctl(PR_SET_DUMPABLE, dumpable_, 0, 0, 0, "PR_SET_DUMPABLE");
}

}  // namespace hull::linux_
