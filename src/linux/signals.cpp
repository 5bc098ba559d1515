#include "linux/signals.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "hull/error.hpp"
#include "linux/fd.hpp"

namespace hull::linux_ {
namespace {

struct Alias {
  std::string_view name;
  int sig;
};

// Second names: the C library calls 29 POLL, runc's kill (Go's table) calls it IO.
constexpr Alias kAliases[] = {{"IO", SIGIO}};

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int signal_number(std::string_view text) {
  std::string name = upper(text);
  if (name.starts_with("SIG")) name.erase(0, 3);
  if (name.empty()) throw Error("not a signal name or number");
  for (int sig = 1; sig < SIGRTMIN; ++sig) {
    const char* abbrev = sigabbrev_np(sig);
    if (abbrev && name == abbrev) return sig;
  }
  for (const auto& a : kAliases) {
    if (name == a.name) return a.sig;
  }
  // RTMIN, RTMIN+n, RTMAX, RTMAX-n.
  const int span = SIGRTMAX - SIGRTMIN;
  struct End {
    std::string_view prefix;
    int base;
    char sign;
  };
  for (const End& end : {End{"RTMIN", SIGRTMIN, '+'}, End{"RTMAX", SIGRTMAX, '-'}}) {
    std::string_view rest(name);
    if (!rest.starts_with(end.prefix)) continue;
    rest.remove_prefix(end.prefix.size());
    if (rest.empty()) return end.base;
    if (rest.front() != end.sign) break;
    rest.remove_prefix(1);
    if (!all_digits(rest) || rest.size() > 3 || std::stoi(std::string(rest)) > span) {
      throw Error("outside the real-time range (" + std::string(end.prefix) + end.sign + "0 to " +
                  std::to_string(span) + ")");
    }
    int n = std::stoi(std::string(rest));
    return end.sign == '+' ? end.base + n : end.base - n;
  }
  throw Error("not a signal name or number");
}

std::string signal_name(int sig) {
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) {
    int from_min = sig - SIGRTMIN, from_max = SIGRTMAX - sig;
    if (from_min == 0) return "SIGRTMIN";
    if (from_max == 0) return "SIGRTMAX";
    return from_min <= from_max ? "SIGRTMIN+" + std::to_string(from_min)
                                : "SIGRTMAX-" + std::to_string(from_max);
  }
  const char* abbrev = sig > 0 && sig < SIGRTMIN ? sigabbrev_np(sig) : nullptr;
  if (!abbrev) return std::to_string(sig);
  return "SIG" + std::string(abbrev);
}

namespace {

// The signals whose action is not the default (SigIgn | SigCgt of /proc/self/status, bit N-1
// for signal N), or nullopt where no real procfs answers (a container without /proc, say):
// then every signal is reset. One read instead of a sigaction per signal.
std::optional<uint64_t> non_default_signals() {
  Fd fd(::open("/proc/self/status", O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  struct statfs sf;
  if (::fstatfs(fd.get(), &sf) != 0 || sf.f_type != PROC_SUPER_MAGIC) return std::nullopt;
  std::string text;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::nullopt;
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > 64 * 1024) return std::nullopt;
  }
  uint64_t mask = 0;
  for (const char* field : {"\nSigIgn:", "\nSigCgt:"}) {
    size_t at = text.find(field);
    if (at == std::string::npos) return std::nullopt;
    const char* start = text.c_str() + at + std::strlen(field);
    char* end = nullptr;
    errno = 0;
    unsigned long long v = std::strtoull(start, &end, 16);
    if (end == start || errno != 0) return std::nullopt;
    mask |= v;
  }
  return mask;
}

}  // namespace

void reset_signals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  std::optional<uint64_t> changed = non_default_signals();
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    bool set = changed && sig <= 64 && ((*changed >> (sig - 1)) & 1);
    if (changed && !set) continue;
    // glibc keeps two real-time signals for itself and answers EINVAL for them.
    if (::sigaction(sig, &dfl, nullptr) < 0 && errno != EINVAL) {
      throw Error::sys("resetting the action of signal " + std::to_string(sig));
    }
  }
  sigset_t none;
  sigemptyset(&none);
  if (::sigprocmask(SIG_SETMASK, &none, nullptr) < 0) throw Error::sys("clearing the signal mask");
}

}  // namespace hull::linux_
