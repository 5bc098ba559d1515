#include "linux/program_output.hpp"

#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/close_fds.hpp"
#include "linux/fd.hpp"

namespace hull::linux_ {
namespace {

// The child: the pipe as stdout and stderr, then the program. Never returns.
[[noreturn]] void program_child(int out_fd, char* const* argv) noexcept {
  // Lifted above stdio first so that dup2 never lands on itself (and keeps close-on-exec).
  int out = ::fcntl(out_fd, F_DUPFD, 3);
  if (out >= 0 && ::dup2(out, 1) == 1 && ::dup2(out, 2) == 2) {
    close_fds_from(3);
    ::execvp(argv[0], argv);
  }
  ::_exit(127);
}

}  // namespace

ProgramOutput run_program(const std::vector<std::string>& args) {
  if (args.empty()) throw Error("run_program: no program given");
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) throw Error::sys("pipe for " + args.front());
  Fd rd(p[0]), wr(p[1]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw Error::sys("fork for " + args.front());
  if (pid == 0) program_child(wr.get(), argv.data());
  wr.reset();
  ProgramOutput out;
  char buf[8192];
  ssize_t n;
  while ((n = ::read(rd.get(), buf, sizeof(buf))) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    out.text.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  out.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return out;
}

}  // namespace hull::linux_
