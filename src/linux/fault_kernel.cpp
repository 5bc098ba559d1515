#include "linux/fault_kernel.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "hull/error.hpp"

namespace hull::linux_ {

namespace {

struct ErrnoName {
  const char* name;
  int value;
};

constexpr ErrnoName kErrnoNames[] = {
    {"EPERM", EPERM},   {"ENOENT", ENOENT}, {"EINTR", EINTR},     {"EIO", EIO},
    {"EBADF", EBADF},   {"EAGAIN", EAGAIN}, {"ENOMEM", ENOMEM},   {"EACCES", EACCES},
    {"EBUSY", EBUSY},   {"EEXIST", EEXIST}, {"ENOTDIR", ENOTDIR}, {"EINVAL", EINVAL},
    {"EMFILE", EMFILE}, {"ENOSPC", ENOSPC}, {"EROFS", EROFS},     {"ENOSYS", ENOSYS},
    {"ELOOP", ELOOP},   {"EXDEV", EXDEV},   {"ESRCH", ESRCH},     {"EPIPE", EPIPE},
};

uint32_t parse_number(std::string_view text, const std::string& entry) {
  uint32_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    throw Error("fault plan: bad number in \"" + entry + "\"");
  }
  return value;
}

Fault parse_entry(std::string_view entry_text) {
  std::string entry(entry_text);
  Fault fault;
  size_t colon = entry_text.find(':');
  if (colon == std::string_view::npos) throw Error("fault plan: \"" + entry + "\" is not KIND:N");
  fault.kind = sys_from_name(entry_text.substr(0, colon));
  if (fault.kind == Sys::count_) throw Error("fault plan: unknown kind in \"" + entry + "\"");
  std::string_view rest = entry_text.substr(colon + 1);
  size_t second = rest.find(':');
  std::string_view nth = rest.substr(0, second);
  if (nth == "*") {
    fault.nth = 0;
  } else {
    fault.nth = parse_number(nth, entry);
    if (fault.nth == 0) throw Error("fault plan: calls count from 1 in \"" + entry + "\"");
  }
  if (second == std::string_view::npos) return fault;
  std::string_view err = rest.substr(second + 1);
  for (const auto& e : kErrnoNames) {
    if (err == e.name) {
      fault.err = e.value;
      return fault;
    }
  }
  fault.err = static_cast<int>(parse_number(err, entry));
  if (fault.err == 0) throw Error("fault plan: errno 0 in \"" + entry + "\"");
  return fault;
}

}  // namespace

std::vector<Fault> parse_fault_plan(std::string_view text) {
  std::vector<Fault> plan;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view entry = text.substr(0, comma);
    if (!entry.empty()) plan.push_back(parse_entry(entry));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return plan;
}

FaultKernel::FaultKernel(Kernel* next, std::vector<Fault> plan)
    : next_(next), plan_(std::move(plan)) {}

int FaultKernel::enter(Sys kind, std::string_view what) {
  uint32_t nth = ++counts_[static_cast<size_t>(kind)];
  int err = 0;
  for (const Fault& f : plan_) {
    if (f.kind == kind && (f.nth == 0 || f.nth == nth)) {
      err = f.err;
      break;
    }
  }
  // The record is kept in memory only for in-process tests (a logging driver may run long).
  if (log_fd_ < 0) calls_.push_back({kind, nth, std::string(what), err != 0});
  struct stat st {};
  if (log_fd_ >= 0 && ::fstat(log_fd_, &st) == 0 && st.st_dev == log_dev_ &&
      st.st_ino == log_ino_) {
    // One write per line so that the lines of processes sharing the log do not interleave.
    char line[512];
    int n = std::snprintf(line, sizeof(line), "%d %s %u %.*s%s\n", static_cast<int>(::getpid()),
                          sys_name(kind), nth, static_cast<int>(std::min<size_t>(what.size(), 400)),
                          what.data(), err != 0 ? " injected" : "");
    if (n > 0) {
      [[maybe_unused]] ssize_t w =
          ::write(log_fd_, line, std::min(static_cast<size_t>(n), sizeof(line) - 1));
    }
  }
  return err;
}

void FaultKernel::log_to(int fd) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw Error::sys("fstat of the fault log");
  log_fd_ = fd;
  log_dev_ = st.st_dev;
  log_ino_ = st.st_ino;
}

int FaultKernel::fake_fd() {
  return ::open("/dev/null", O_RDWR | O_CLOEXEC);
}

bool FaultKernel::makes_fd(std::string_view name) {
  return name == "openat" || name == "openat2" || name == "memfd_create" || name == "open_tree" ||
         name == "pidfd_open" || name == "socket";
}

void install_fault_kernel_from_env() {
  const char* plan = std::getenv("HULL_FAULTS");
  const char* log = std::getenv("HULL_FAULT_LOG");
  if ((plan == nullptr || *plan == '\0') && (log == nullptr || *log == '\0')) return;
  // Leaked on purpose: it serves every call until the process ends, children included.
  auto* k = new FaultKernel(&host_kernel(), parse_fault_plan(plan != nullptr ? plan : ""));
  if (log != nullptr && *log != '\0') {
    int fd = ::open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) throw Error::sys(std::string("HULL_FAULT_LOG ") + log);
    k->log_to(fd);
  }
  set_kernel(k);
}

}  // namespace hull::linux_
