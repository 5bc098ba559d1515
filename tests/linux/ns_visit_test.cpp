// NamespaceVisit on the real kernel (root only): each case runs in a forked child, since a
// visit changes the namespaces and root of the process that makes it, and reports by its exit
// status which check failed.
#include "linux/ns_visit.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstring>
#include <string>

#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"
#include "linux/kernel.hpp"
#include "support/child.hpp"
#include "temp_dir.hpp"

namespace hull::linux_ {
namespace {

constexpr int kVisited = CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWNET;

// A process in new uts, ipc and net namespaces, hostname "visited", chrooted to dir (which
// holds a file "marker"); killed and reaped at the end.
class Target {
 public:
  explicit Target(const std::string& dir) {
    int ready[2];
    if (::pipe(ready) < 0) throw Error::sys("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ready[0]);
      if (::unshare(kVisited) < 0 || ::sethostname("visited", 7) < 0 || ::chroot(dir.c_str()) < 0 ||
          ::chdir("/") < 0) {
        ::_exit(1);
      }
      (void)!::write(ready[1], "x", 1);
      ::pause();
      ::_exit(0);
    }
    ::close(ready[1]);
    char c;
    bool ok = ::read(ready[0], &c, 1) == 1;
    ::close(ready[0]);
    if (!ok) throw Error("the target did not start");
    pidfd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    std::string root = "/proc/" + std::to_string(pid_) + "/root";
    root_ = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  }
  ~Target() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    ::close(pidfd_);
    ::close(root_);
  }
  int pidfd() const { return pidfd_; }
  int root() const { return root_; }

 private:
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int root_ = -1;
};

ino_t ns_inode(const char* kind) {
  struct stat st;
  std::string path = std::string("/proc/self/ns/") + kind;
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

std::string hostname() {
  char buf[HOST_NAME_MAX + 1] = {};
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

class NamespaceVisitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root";
    int fd = ::open((dir_.path() + "/marker").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0);
    ::close(fd);
  }
  test::TempDir dir_;
};

TEST_F(NamespaceVisitTest, EntersTheTargetsNamespacesAndRootAndComesBack) {
  Target target(dir_.path());
  int rc = hull::test::in_child([&] {
    std::string host = hostname();
    ino_t net = ns_inode("net"), mnt = ns_inode("mnt");
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd) == nullptr) return 1;
    NamespaceVisit visit(kVisited);
    visit.enter(target.pidfd(), target.root());
    if (hostname() != "visited") return 2;
    if (::access("/marker", F_OK) != 0) return 3;
    visit.leave();
    if (hostname() != host) return 4;
    if (ns_inode("net") != net || ns_inode("mnt") != mnt) return 5;
    if (::access((dir_.path() + "/marker").c_str(), F_OK) != 0) return 6;
    char back[PATH_MAX];
    if (::getcwd(back, sizeof back) == nullptr || std::strcmp(back, cwd) != 0) return 7;
    return 0;
  });
  EXPECT_EQ(rc, 0);
}

TEST_F(NamespaceVisitTest, AUserNamespaceIsRefused) {
  EXPECT_THROW(NamespaceVisit visit(CLONE_NEWUSER | CLONE_NEWNS), Error);
}

TEST_F(NamespaceVisitTest, LeavesWhenDestroyedInside) {
  Target target(dir_.path());
  int rc = hull::test::in_child([&] {
    std::string host = hostname();
    {
      NamespaceVisit visit(kVisited);
      visit.enter(target.pidfd(), target.root());
      if (hostname() != "visited") return 2;
    }
    return hostname() == host ? 0 : 3;
  });
  EXPECT_EQ(rc, 0);
}

// The way back refused: leave throws, and the visit's destructor, failing again, ends the
// process (exit 1) rather than let it go on inside.
TEST_F(NamespaceVisitTest, AWayBackThatFailsEndsTheProcess) {
  Target target(dir_.path());
  int rc = hull::test::in_child([&] {
    FaultKernel fk(&host_kernel(), parse_fault_plan("setns:2:EPERM,setns:3:EPERM"));
    ScopedKernel scope(fk);
    NamespaceVisit visit(kVisited);
    visit.enter(target.pidfd(), target.root());
    try {
      visit.leave();
    } catch (const Error& e) {
      if (std::string(e.what()).find("leaving the container's namespaces") == std::string::npos) {
        return 4;
      }
      return 0;  // the destructor's try fails too: exit 1 before this status is used
    }
    return 5;
  });
  EXPECT_EQ(rc, 1);
}

}  // namespace
}  // namespace hull::linux_
