#include "container/start_result.hpp"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/sys.hpp"

namespace hull::container {
namespace {

// Never the first byte of an error text.
constexpr char kExecMarker = '\x01';
constexpr const char* kFifoName = "exec.result";

}  // namespace

StartChannel open_start_channel(const state::ContainerDir* dir) {
  StartChannel c;
  if (!dir) {
    auto [r, w] = with_context("creating the start result pipe",
                               [] { return linux_::sys::pipe2(O_CLOEXEC); });
    c.reader = std::move(r);
    c.init_end = std::move(w);
    return c;
  }
  std::string path = dir->file(kFifoName);
  c.init_end = with_context("creating the start result fifo", [&] {
    linux_::sys::mkfifo(path.c_str(), 0600);
    // O_RDWR: never blocks, and a fifo keeps what is written only while someone holds it.
    return linux_::sys::openat(AT_FDCWD, path.c_str(), O_RDWR | O_CLOEXEC);
  });
  return c;
}

linux_::Fd open_start_result(const state::ContainerDir& dir) {
  std::string path = dir.file(kFifoName);
  linux_::Fd fd(
      linux_::kernel().openat(AT_FDCWD, path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0));
  if (!fd && errno != ENOENT) throw Error::sys("opening the start result fifo " + path);
  return fd;
}

void remove_start_result(const state::ContainerDir& dir) {
  // Read already: a fifo left behind only costs a name in a dir that delete removes.
  linux_::kernel().unlinkat(AT_FDCWD, dir.file(kFifoName).c_str(), 0);
}

void report_exec(int fd) {
  if (fd < 0) return;
  ssize_t n;
  do {
    n = linux_::kernel().write(fd, &kExecMarker, 1);
  } while (n < 0 && errno == EINTR);
}

void report_failure(int fd, const std::string& text, int code) {
  // exec has no channel: the error travels as an exception to the child's entry, which
  // sends it over the sync socket to `exec`.
  if (fd < 0) throw Error(text);
  {
    // The reader takes what arrives before end-of-file; a short write still says something.
    size_t off = 0;
    while (off < text.size()) {
      ssize_t n = linux_::kernel().write(fd, text.data() + off, text.size() - off);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
  }
  ::_exit(code);
}

void await_start(int fd, const std::function<bool()>& init_alive) {
  std::string got;
  char buf[4096];
  for (;;) {
    ssize_t n = linux_::kernel().read(fd, buf, sizeof(buf));
    if (n > 0) {
      got.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) break;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) throw Error::sys("reading the container's start result");
    struct pollfd p = {fd, POLLIN, 0};
    linux_::sys::poll(&p, 1, -1, "the container's start result");
  }
  bool marked = !got.empty() && got[0] == kExecMarker;
  std::string text = marked ? got.substr(1) : got;
  if (!text.empty()) throw Error(text);
  if (marked || init_alive()) return;
  throw Error("the container's init exited before it started the process (killed by a signal?)");
}

}  // namespace hull::container
