// The signal-name table: every signal the C library names round-trips, with or without SIG,
// in any case; the real-time ones by RTMIN+n / RTMAX-n.
#include "linux/signals.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>

#include "hull/error.hpp"
#include "support/error_of.hpp"

namespace hull::linux_ {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string error_of(std::string_view name) {
  return hull::test::error_of([&] { signal_number(name); }, "(no error)");
}

TEST(Signals, EveryNamedSignalRoundTrips) {
  int named = 0;
  for (int sig = 1; sig <= SIGRTMAX; ++sig) {
    std::string name = signal_name(sig);
    if (sig > 31 && sig < SIGRTMIN) {
      EXPECT_EQ(name, std::to_string(sig));  // glibc's own real-time signals
      continue;
    }
    ASSERT_EQ(name.rfind("SIG", 0), 0u) << sig;
    EXPECT_EQ(signal_number(name), sig) << name;
    EXPECT_EQ(signal_number(name.substr(3)), sig) << name;
    EXPECT_EQ(signal_number(lower(name)), sig) << name;
    if (sig < SIGRTMIN) {
      EXPECT_EQ(name.substr(3), sigabbrev_np(sig));
    }
    ++named;
  }
  EXPECT_EQ(named, 31 + (SIGRTMAX - SIGRTMIN + 1));
}

TEST(Signals, CommonNames) {
  EXPECT_EQ(signal_number("TERM"), SIGTERM);
  EXPECT_EQ(signal_number("SIGKILL"), SIGKILL);
  EXPECT_EQ(signal_number("sigusr1"), SIGUSR1);
  EXPECT_EQ(signal_number("IO"), SIGIO);  // runc's name for it
  EXPECT_EQ(signal_number("POLL"), SIGPOLL);
  EXPECT_EQ(signal_name(SIGTERM), "SIGTERM");
  EXPECT_EQ(signal_name(SIGKILL), "SIGKILL");
}

TEST(Signals, RealTimeFromEitherEnd) {
  const int span = SIGRTMAX - SIGRTMIN;
  EXPECT_EQ(signal_number("RTMIN"), SIGRTMIN);
  EXPECT_EQ(signal_number("SIGRTMAX"), SIGRTMAX);
  EXPECT_EQ(signal_number("RTMIN+2"), SIGRTMIN + 2);
  EXPECT_EQ(signal_number("rtmax-1"), SIGRTMAX - 1);
  EXPECT_EQ(signal_number("RTMIN+" + std::to_string(span)), SIGRTMAX);
  EXPECT_EQ(signal_number("RTMAX-" + std::to_string(span)), SIGRTMIN);
  EXPECT_EQ(signal_name(SIGRTMIN), "SIGRTMIN");
  EXPECT_EQ(signal_name(SIGRTMIN + 1), "SIGRTMIN+1");
  EXPECT_EQ(signal_name(SIGRTMAX - 1), "SIGRTMAX-1");
  EXPECT_EQ(signal_name(SIGRTMAX), "SIGRTMAX");
}

TEST(Signals, ErrorsSayWhy) {
  const std::string range =
      "outside the real-time range (RTMIN+0 to " + std::to_string(SIGRTMAX - SIGRTMIN) + ")";
  EXPECT_EQ(error_of("RTMIN+99"), range);
  EXPECT_EQ(error_of("RTMIN+-1"), range);
  EXPECT_EQ(error_of("RTMIN+"), range);
  EXPECT_EQ(error_of("RTMAX-99999999999999"),
            "outside the real-time range (RTMAX-0 to " + std::to_string(SIGRTMAX - SIGRTMIN) + ")");
  for (const char* bad : {"NOPE", "", "SIG", "RTMAX+1", "RTMINX", "IOT", " TERM", "TERM "}) {
    EXPECT_EQ(error_of(bad), "not a signal name or number") << '"' << bad << '"';
  }
}

TEST(Signals, UnnamedNumbersPrintAsNumbers) {
  EXPECT_EQ(signal_name(0), "0");
  EXPECT_EQ(signal_name(SIGRTMAX + 1), std::to_string(SIGRTMAX + 1));
}

void on_signal(int) {}

// 0 when every signal is at SIG_DFL and none is blocked, else the first signal that is not.
int first_not_default() {
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction now {};
    if (::sigaction(sig, nullptr, &now) < 0) continue;  // glibc's own real-time signals
    if (now.sa_handler != SIG_DFL) return sig;
  }
  sigset_t blocked;
  sigprocmask(SIG_SETMASK, nullptr, &blocked);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sigismember(&blocked, sig) == 1) return sig;
  }
  return 0;
}

// reset_signals reads which signals are changed (/proc/self/status) and resets those only:
// ignored, caught (low and real-time) and blocked ones all come back to the defaults. In a
// child, so this process keeps its own actions.
TEST(Signals, ResetBringsIgnoredCaughtAndBlockedBack) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    struct sigaction ign {
    }, handler{};
    ign.sa_handler = SIG_IGN;
    handler.sa_handler = on_signal;
    sigaction(SIGPIPE, &ign, nullptr);
    sigaction(SIGHUP, &ign, nullptr);
    sigaction(SIGUSR1, &handler, nullptr);
    sigaction(SIGRTMIN + 3, &handler, nullptr);
    sigaction(SIGRTMAX, &ign, nullptr);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigprocmask(SIG_BLOCK, &set, nullptr);
    if (first_not_default() == 0) _exit(100);  // the setup did not take: the test proves nothing
    try {
      reset_signals();
    } catch (...) {
      _exit(101);
    }
    _exit(first_not_default());
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "signal still changed (100: setup failed, 101: threw)";
}

}  // namespace
}  // namespace hull::linux_
