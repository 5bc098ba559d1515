// Test scaffolding: every test that touches the network runs in a fresh network namespace of
// its own that plays "the host", and containers are child processes in namespaces of their
// own. Nothing here can reach the machine's real interfaces, routes or firewall.
#pragma once

#include <gtest/gtest.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace hull::net::testing {

// A temporary directory removed with everything in it.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/hull-net-test.XXXXXX";
    if (!::mkdtemp(tmpl)) std::abort();
    path_ = tmpl;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A process sitting in a new network namespace: the container.
class FakeContainer {
 public:
  FakeContainer() {
    int p[2];
    if (::pipe(p) != 0) std::abort();
    pid_ = ::fork();
    if (pid_ == 0) {
      // Dies with the test process even when that one crashes: an orphan holding the test's
      // stdout would keep meson waiting for ever.
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() == 1) ::_exit(1);
      ::close(p[0]);
      char ok = ::unshare(CLONE_NEWNET) == 0 ? 'y' : 'n';
      if (::write(p[1], &ok, 1) != 1) ::_exit(1);
      for (;;) ::pause();
    }
    ::close(p[1]);
    char ok = 'n';
    if (::read(p[0], &ok, 1) != 1 || ok != 'y') std::abort();
    ::close(p[0]);
  }
  ~FakeContainer() { stop(); }
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  int pid() const { return pid_; }
  std::string ns() const { return "/proc/" + std::to_string(pid_) + "/ns/net"; }
  // Output of a command run inside the container's network namespace.
  std::string run(const std::string& cmd) const {
    return capture("nsenter -t " + std::to_string(pid_) + " -n " + cmd);
  }

  static std::string capture(const std::string& cmd) {
    std::string out;
    FILE* f = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!f) return out;
    char buf[512];
    while (size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
    ::pclose(f);
    return out;
  }

 private:
  pid_t pid_ = -1;
};

// Runs body(i) for i in [0, n) in n processes at once; returns how many failed (threw or
// returned false). What a failing child says goes to stderr.
template <typename F>
int run_concurrently(int n, F body) {
  std::vector<pid_t> kids;
  for (int i = 0; i < n; ++i) {
    pid_t pid = ::fork();
    if (pid == 0) {
      try {
        ::_exit(body(i) ? 0 : 1);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child %d: %s\n", i, e.what());
        ::_exit(1);
      }
    }
    kids.push_back(pid);
  }
  int failed = 0;
  for (pid_t pid : kids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    failed += !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  return failed;
}

// Fixture: the whole test body runs in a fresh network namespace (this process is single
// threaded, so unshare moves all of it). Needs root; skipped without it.
class HostNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root for network namespaces";
    ASSERT_EQ(::unshare(CLONE_NEWNET), 0) << "unshare(CLONE_NEWNET)";
  }
  static bool link_exists(const std::string& name) { return ::if_nametoindex(name.c_str()) != 0; }
};

}  // namespace hull::net::testing
