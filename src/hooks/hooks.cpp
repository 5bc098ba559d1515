#include "hooks/hooks.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/argv.hpp"
#include "linux/fd.hpp"
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
    int n = ::poll(fds, 3, wait_ms);
    if (n < 0 && errno != EINTR) throw Error::sys("waiting for hook");
    if (n == 0) return false;
    if (fds[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
      ssize_t w = ::write(in.get(), input.data() + written, input.size() - written);
      // A hook that does not read its stdin is fine.
      written = w > 0 ? written + static_cast<size_t>(w) : input.size();
      // EOF tells the hook the state is complete.
      if (written >= input.size()) in.reset();
    }
    if (fds[1].revents & (POLLIN | POLLHUP)) {
      char buf[4096];
      ssize_t r = ::read(out_fd, buf, sizeof(buf));
      if (r > 0 && output.size() < 64 * 1024) output.append(buf, static_cast<size_t>(r));
      if (r <= 0) out_open = false;
    }
    if ((fds[0].revents & POLLIN) && !out_open) return true;
    if ((fds[0].revents & POLLIN) && !(fds[1].revents & POLLIN)) return true;
  }
}

}  // namespace

void run_hook(const spec::Hook& hook, const std::string& state_json) {
  int in_pipe[2], out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) < 0 || ::pipe2(out_pipe, O_CLOEXEC) < 0) {
    throw Error::sys("hook " + hook.path + ": pipe");
  }
  linux_::Fd in_r(in_pipe[0]), in_w(in_pipe[1]), out_r(out_pipe[0]), out_w(out_pipe[1]);
  std::vector<std::string> args =
      hook.args.empty() ? std::vector<std::string>{hook.path} : hook.args;
  auto argv = linux_::c_strings(args);
  auto envp = linux_::c_strings(hook.env);
  linux_::CloneArgs ca;
  auto child = linux_::clone3(ca);
  if (child.pid == 0) {
    ::dup2(in_r.get(), 0);
    ::dup2(out_w.get(), 1);
    ::dup2(out_w.get(), 2);
    ::signal(SIGPIPE, SIG_DFL);
    ::execve(hook.path.c_str(), argv.data(), envp.data());
    std::string msg = "exec failed: " + std::string(strerror(errno)) + "\n";
    (void)!::write(2, msg.data(), msg.size());
    ::_exit(127);
  }
  in_r.reset();
  out_w.reset();
  ::fcntl(in_w.get(), F_SETFL, O_NONBLOCK);
  std::string output;
  int timeout = hook.timeout.value_or(0);
  bool finished = pump(child.pidfd.get(), in_w, out_r.get(), state_json, output, timeout);
  if (!finished) linux_::pidfd_send_signal(child.pidfd.get(), SIGKILL);
  int status = 0;
  while (::waitpid(child.pid, &status, 0) < 0 && errno == EINTR) {
  }
  while (!output.empty() && output.back() == '\n') output.pop_back();
  std::string tail = output.empty() ? "" : " (output: " + output + ")";
  if (!finished) {
    throw Error("hook " + hook.path + " timed out after " + std::to_string(timeout) + "s" + tail);
  }
  if (WIFSIGNALED(status)) {
    throw Error("hook " + hook.path + " killed by signal " + std::to_string(WTERMSIG(status)) +
                tail);
  }
  if (WEXITSTATUS(status) != 0) {
    throw Error("hook " + hook.path + " exited with status " + std::to_string(WEXITSTATUS(status)) +
                tail);
  }
}

void run_stage(const std::vector<spec::Hook>& hooks, const std::string& stage,
               const std::string& state_json, bool fatal) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    try {
      run_hook(hooks[i], state_json);
    } catch (Error& e) {
      e.context("config.json: /hooks/" + stage + "/" + std::to_string(i));
      if (fatal) throw;
      warn(e.message());
    }
  }
}

}  // namespace hull::hooks
