#include "container/start_result.hpp"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hull/error.hpp"

namespace hull::container {
namespace {

// Never the first byte of an error text.
constexpr char kExecMarker = '\x01';
constexpr const char* kFifoName = "exec.result";

}  // namespace

StartChannel open_start_channel(const state::ContainerDir* dir) {
  StartChannel c;
  if (!dir) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) < 0) throw Error::sys("creating the start result pipe");
    c.reader.reset(p[0]);
    c.init_end.reset(p[1]);
    return c;
  }
  std::string path = dir->file(kFifoName);
  if (::mkfifo(path.c_str(), 0600) < 0) throw Error::sys("creating " + path);
  // O_RDWR: never blocks, and a fifo keeps what is written only while someone holds it.
  c.init_end.reset(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!c.init_end) throw Error::sys("opening " + path);
  return c;
}

linux_::Fd open_start_result(const state::ContainerDir& dir) {
  std::string path = dir.file(kFifoName);
  linux_::Fd fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd && errno != ENOENT) throw Error::sys("opening " + path);
  return fd;
}

void remove_start_result(const state::ContainerDir& dir) {
  ::unlink(dir.file(kFifoName).c_str());
}

void report_exec(int fd) {
  if (fd < 0) return;
  ssize_t n;
  do {
    n = ::write(fd, &kExecMarker, 1);
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
      ssize_t n = ::write(fd, text.data() + off, text.size() - off);
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
    ssize_t n = ::read(fd, buf, sizeof(buf));
    if (n > 0) {
      got.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n == 0) break;
    if (errno == EINTR) continue;
    if (errno != EAGAIN) throw Error::sys("reading the container's start result");
    struct pollfd p = {fd, POLLIN, 0};
    if (::poll(&p, 1, -1) < 0 && errno != EINTR) {
      throw Error::sys("waiting for the container's start result");
    }
  }
  bool marked = !got.empty() && got[0] == kExecMarker;
  std::string text = marked ? got.substr(1) : got;
  if (!text.empty()) throw Error(text);
  if (marked || init_alive()) return;
  throw Error("the container's init exited before it started the process (killed by a signal?)");
}

}  // namespace hull::container
