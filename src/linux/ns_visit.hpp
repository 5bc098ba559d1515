#pragma once
// A short visit of another process's namespaces and root, and the way back: what `exec` uses
// to clone the process straight into a container (born with the container's mount namespace
// and root, so it is never in the container's pid namespace with the host's) without an
// intermediate process. Only for namespaces a process can leave again: never a user namespace.

#include "linux/fd.hpp"

namespace hull::linux_ {

class NamespaceVisit {
 public:
  // Opens the way back for each CLONE_NEW* type in flags (CLONE_NEWUSER refused): our own
  // namespace of that type (pid and time: the ones for our children), our root and cwd.
  explicit NamespaceVisit(int flags);
  NamespaceVisit(const NamespaceVisit&) = delete;
  NamespaceVisit& operator=(const NamespaceVisit&) = delete;
  // Leaves if still inside; a way back that fails there ends the process (see leave).
  ~NamespaceVisit();

  // Joins every namespace in flags of the process behind pidfd (one setns), then root_fd as
  // root and cwd. Not dumpable meanwhile: nothing there may ptrace or read /proc of us.
  void enter(int pidfd, int root_fd);
  // Back to every namespace, root and cwd we had, and the dumpable flag. Throws when a step
  // fails: the caller is then still partly inside and must not touch a path.
  void leave();

 private:
  int flags_;
  Fd back_[7];
  Fd root_, cwd_;
  int dumpable_ = 1;
  bool inside_ = false;
};

}  // namespace hull::linux_
