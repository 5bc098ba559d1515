// clone_sharing_memory on the real kernel: the child runs in our memory on a stack of its own,
// we go on only after it has exited, its fds and its cgroup are its own, and a fault plan fails
// it before anything runs.
#include "linux/shared_clone.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "hull/error.hpp"
#include "linux/fault_kernel.hpp"
#include "linux/fd.hpp"
#include "linux/kernel.hpp"

namespace {

using namespace hull::linux_;

int exit_code(pid_t pid) {
  int status = 0;
  EXPECT_EQ(::waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

struct Shared {
  int fd = -1;
  volatile int seen = 0;
  char cgroup[512] = {};
};

int write_and_exit_7(void* arg) {
  auto* s = static_cast<Shared*>(arg);
  // Far past the frames of whoever called clone: only works on a stack of our own.
  char deep[64 << 10];
  std::memset(deep, 1, sizeof(deep));
  s->seen = deep[100] + 41;
  return 7;
}

class SharedClone : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!shared_clone_supported()) GTEST_SKIP() << "this build forks instead";
  }
};

TEST_F(SharedClone, TheChildWritesOurMemoryAndWeResumeOnlyAfterItExited) {
  Shared s;
  CloneArgs args;
  CloneResult r = clone_sharing_memory(args, write_and_exit_7, &s);
  if (r.pid < 0) GTEST_SKIP() << "no clone3 here";
  // CLONE_VFORK: the write is there before we run again, no waiting needed.
  EXPECT_EQ(s.seen, 42);
  EXPECT_FALSE(r.in_cgroup);
  EXPECT_EQ(exit_code(r.pid), 7);
}

int close_it(void* arg) {
  auto* s = static_cast<Shared*>(arg);
  s->seen = ::close(s->fd) == 0 ? 1 : -1;
  return 0;
}

TEST_F(SharedClone, TheChildsFdTableIsItsOwn) {
  Fd f(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  ASSERT_TRUE(f);
  Shared s;
  s.fd = f.get();
  CloneResult r = clone_sharing_memory(CloneArgs{}, close_it, &s);
  if (r.pid < 0) GTEST_SKIP() << "no clone3 here";
  EXPECT_EQ(exit_code(r.pid), 0);
  EXPECT_EQ(s.seen, 1);  // closed there
  EXPECT_GE(::fcntl(f.get(), F_GETFD), 0) << "and still open here";
}

int read_cgroup(void* arg) {
  auto* s = static_cast<Shared*>(arg);
  int fd = ::open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 1;
  ssize_t n = ::read(fd, s->cgroup, sizeof(s->cgroup) - 1);
  ::close(fd);
  return n > 0 ? 0 : 1;
}

TEST_F(SharedClone, CloneIntoCgroupPutsTheChildThereFromItsStart) {
  std::string top;
  for (const char* dir : {"/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
    struct statfs fs;
    if (::statfs(dir, &fs) == 0 && fs.f_type == 0x63677270 /* CGROUP2_SUPER_MAGIC */) {
      top = dir;
      break;
    }
  }
  if (top.empty() || ::geteuid() != 0) GTEST_SKIP() << "no cgroup2 hierarchy of ours";
  std::string name = "hull-shared-clone-" + std::to_string(::getpid());
  std::string dir = top + "/" + name;
  ASSERT_EQ(::mkdir(dir.c_str(), 0755), 0) << std::strerror(errno);
  Fd cg(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  Shared s;
  CloneArgs args;
  args.cgroup_fd = cg.get();
  CloneResult r = clone_sharing_memory(args, read_cgroup, &s);
  int code = r.pid > 0 ? exit_code(r.pid) : -1;
  ::rmdir(dir.c_str());
  if (r.pid < 0) GTEST_SKIP() << "no clone3 here";
  EXPECT_EQ(code, 0);
  EXPECT_TRUE(r.in_cgroup);
  EXPECT_NE(std::string(s.cgroup).find("0::/" + name + "\n"), std::string::npos) << s.cgroup;
}

TEST_F(SharedClone, AFaultPlanFailsTheCloneBeforeAnythingRuns) {
  FaultKernel fk(&host_kernel(), parse_fault_plan("clone:1:EAGAIN"));
  ScopedKernel scope(fk);
  Shared s;
  EXPECT_THROW(clone_sharing_memory(CloneArgs{}, write_and_exit_7, &s), hull::Error);
  EXPECT_EQ(s.seen, 0);
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1) << "no child was made";
}

}  // namespace
