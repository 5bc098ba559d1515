#include "hooks/hooks.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <tuple>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/argv.hpp"
#include "linux/close_fds.hpp"
#include "linux/fd.hpp"
#include "linux/signals.hpp"
#include "linux/sys.hpp"
#include "linux/syscalls.hpp"

namespace hull::hooks {
namespace {

// Feeds the state to stdin and collects the output until the hook exits or the deadline.
// Returns false on timeout.
bool pump(int pidfd, linux_::Fd& in, int out_fd, const std::string& input, std::string& output,
          int timeout_s) {
  using clock = std::chrono::steady_clock;
  auto deadline = clock::now() + std::chrono::seconds(timeout_s);
  size_t written = 0;
  bool out_open = true;
  for (;;) {
    struct pollfd fds[3] = {
        {pidfd, POLLIN, 0}, {out_open ? out_fd : -1, POLLIN, 0}, {in ? in.get() : -1, POLLOUT, 0}};
    int wait_ms = -1;
    if (timeout_s > 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
      if (left.count() <= 0) return false;
      wait_ms = static_cast<int>(left.count());
    }
    int n = linux_::sys::poll(fds, 3, wait_ms, "the hook");
    if (n == 0) return false;
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      ssize_t w = linux_::kernel().write(in.get(), input.data() + written, input.size() - written);
      if (w < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      // A hook that does not read its stdin (EPIPE: it closed it or exited) is fine.
      written = w > 0 ? written + static_cast<size_t>(w) : input.size();
      // EOF tells the hook the state is complete.
      if (written >= input.size()) in.reset();
    }
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      char buf[4096];
      ssize_t r = linux_::kernel().read(out_fd, buf, sizeof(buf));
      if (r > 0 && output.size() < 64 * 1024) output.append(buf, static_cast<size_t>(r));
      if (r <= 0) out_open = false;
    }
    if ((fds[0].revents & POLLIN) && !out_open) return true;
    if ((fds[0].revents & POLLIN) && !(fds[1].revents & POLLIN)) return true;
  }
}

// The hook child: the pipes become its stdio, nothing else of ours stays open, then the hook
// replaces it. Never returns and never throws: an error is written to the output pipe (the
// parent puts it into its message) and the child exits 127.
[[noreturn]] void hook_child(int in_fd, int out_fd, const char* cwd, const char* path,
                             char* const* argv, char* const* envp) noexcept {
  const char* step = "setting up stdio";
  const char* arg = "";
  int err_fd = out_fd;
  // Lifted above stdio first: a pipe end that landed on 0-2 would otherwise be overwritten,
  // or kept close-on-exec by a dup2 onto itself.
  linux_::Kernel& k = linux_::kernel();
  int in = k.fcntl(in_fd, F_DUPFD, 3);
  int out = k.fcntl(out_fd, F_DUPFD, 3);
  if (in >= 0 && out >= 0 && k.dup3(in, 0, 0) == 0 && k.dup3(out, 1, 0) == 1 &&
      k.dup3(out, 2, 0) == 2) {
    err_fd = 1;
    linux_::close_fds_from(3);
    ::signal(SIGPIPE, SIG_DFL);
    step = "chdir to ";
    arg = cwd;
    if (!cwd || k.chdir(cwd) == 0) {
      step = "exec";
      arg = "";
      k.execve(path, argv, envp);
    }
  }
  char msg[512];
  int len = std::snprintf(msg, sizeof(msg), "%s%s failed: %s\n", step, arg, strerror(errno));
  if (len > 0) (void)!::write(err_fd, msg, std::min(static_cast<size_t>(len), sizeof(msg) - 1));
  ::_exit(127);
}

// SIGPIPE ignored while a hook runs: a hook that closes its stdin or exits without reading
// it must show as EPIPE on our write, not kill the runtime half way through create, start or
// delete. The hook child restores the default before its exec.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ign {};
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    ::sigaction(SIGPIPE, &ign, &saved_);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &saved_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction saved_ {};
};

// Kills and reaps a hook child that a failure left behind (its pipes closed, a wait that
// failed); wait() reaps it on the good path.
class HookReaper {
 public:
  HookReaper(pid_t pid, int pidfd) : pid_(pid), pidfd_(pidfd) {}
  HookReaper(const HookReaper&) = delete;
  HookReaper& operator=(const HookReaper&) = delete;
  int wait() {
    int status = 0;
    linux_::sys::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  ~HookReaper() {
    if (pid_ <= 0) return;
    // A destructor: nothing to report to; a child that could not be killed is not waited for.
    if (linux_::kernel().pidfd_send_signal(pidfd_, SIGKILL) < 0 && errno != ESRCH &&
        linux_::kernel().kill(pid_, SIGKILL) < 0) {
      return;
    }
    int status;
    while (linux_::kernel().waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }

 private:
  pid_t pid_;
  int pidfd_;
};

}  // namespace

void run_hook(const spec::Hook& hook, const std::string& state_json, const std::string& cwd) {
  IgnoreSigpipe ignore_sigpipe;  // a hook that exits before reading is EPIPE, for any caller
  // Plain references, not structured bindings: lambdas below use them (clang 14 cannot
  // capture a structured binding).
  struct Pipes {
    linux_::Fd in_r, in_w, out_r, out_w;
  };
  Pipes pipes = with_context("hook " + hook.path, [] {
    auto in = linux_::sys::pipe2(O_CLOEXEC);
    auto out = linux_::sys::pipe2(O_CLOEXEC);
    return Pipes{std::move(in.first), std::move(in.second), std::move(out.first),
                 std::move(out.second)};
  });
  linux_::Fd& in_r = pipes.in_r;
  linux_::Fd& in_w = pipes.in_w;
  linux_::Fd& out_r = pipes.out_r;
  linux_::Fd& out_w = pipes.out_w;
  std::vector<std::string> args =
      hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  auto argv = linux_::c_strings(args);
  auto envp = linux_::c_strings(hook.env);
  linux_::CloneArgs ca;
  auto child =
      with_context("hook " + hook.path + ": starting it", [&] { return linux_::clone3(ca); });
  if (child.pid == 0) {
    hook_child(in_r.get(), out_w.get(), cwd.empty() ? nullptr : cwd.c_str(), hook.path.c_str(),
               argv.data(), envp.data());
  }
  in_r.reset();
  out_w.reset();
  HookReaper reaper(child.pid, child.pidfd.get());
  std::string output;
  int timeout = hook.timeout.value_or(0);
  bool finished = with_context("hook " + hook.path, [&] {
    // The state is fed between reads of the output: a full pipe must not block us.
    linux_::sys::fcntl(in_w.get(), F_SETFL, O_NONBLOCK, "stdin pipe");
    return pump(child.pidfd.get(), in_w, out_r.get(), state_json, output, timeout);
  });
  if (!finished) linux_::pidfd_send_signal(child.pidfd.get(), SIGKILL);
  int status = with_context("hook " + hook.path, [&] { return reaper.wait(); });
  while (!output.empty() && output.back() == '\n') output.pop_back();
  std::string tail = output.empty() ? "" : " (output: " + output + ")";
  if (!finished) {
    throw Error("hook " + hook.path + " timed out after " + std::to_string(timeout) + "s" + tail);
  }
  if (WIFSIGNALED(status)) {
    throw Error("hook " + hook.path + " killed by " + linux_::signal_name(WTERMSIG(status)) + tail);
  }
  if (WEXITSTATUS(status) != 0) {
    throw Error("hook " + hook.path + " exited with status " + std::to_string(WEXITSTATUS(status)) +
                tail);
  }
}

void run_stage(const std::vector<spec::Hook>& hooks, const std::string& stage,
               const std::string& state_json, bool fatal, const std::string& cwd) {
  IgnoreSigpipe sigpipe;
  for (size_t i = 0; i < hooks.size(); ++i) {
    try {
      run_hook(hooks[i], state_json, cwd);
    } catch (Error& e) {
      e.context("config.json: /hooks/" + stage + "/" + std::to_string(i));
      if (fatal) throw;
      warn(e.message());
    }
  }
}

}  // namespace hull::hooks
