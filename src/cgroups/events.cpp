#include "cgroups/events.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cstdint>

#include "cgroups/fs_util.hpp"
#include "cgroups/stats.hpp"
#include "cgroups/stats_read.hpp"
#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {
namespace {

// v1: an eventfd registered on memory.oom_control; v2: inotify on memory.events, counting
// oom_kill. Either way fd() becomes readable and drain() returns how many OOMs happened.
class OomWatch {
 public:
  explicit OomWatch(const Manager& m) {
    for (const auto& h : m.hierarchies()) {
      if (has_controller(h.name, "memory")) {
        watch_v1(h.dir);
        return;
      }
    }
    for (const auto& h : m.hierarchies()) {
      if (h.name.empty() && linux_::exists(h.dir + "/memory.events")) {
        watch_v2(h.dir);
        return;
      }
    }
  }
  int fd() const { return fd_.get(); }

  int drain() {
    if (!fd_) return 0;
    if (!v2_) {
      uint64_t n = 0;
      if (linux_::kernel().read(fd_.get(), &n, sizeof(n)) != sizeof(n)) return 0;
      // The eventfd also fires when the cgroup goes away.
      return linux_::exists(dir_) ? static_cast<int>(n) : 0;
    }
    char buf[4096];
    while (linux_::kernel().read(fd_.get(), buf, sizeof(buf)) > 0) {
    }
    uint64_t now = oom_kills();
    int fresh = static_cast<int>(now - seen_);
    seen_ = now;
    return fresh > 0 ? fresh : 0;
  }

 private:
  void watch_v1(const std::string& dir) {
    dir_ = dir;
    linux_::Fd efd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
    linux_::Fd control(linux_::kernel().openat(AT_FDCWD, (dir + "/memory.oom_control").c_str(),
                                               O_RDONLY | O_CLOEXEC, 0));
    if (!efd || !control) return;
    linux_::write_file(dir + "/cgroup.event_control",
                       std::to_string(efd.get()) + " " + std::to_string(control.get()));
    control_ = std::move(control);
    fd_ = std::move(efd);
  }

  void watch_v2(const std::string& dir) {
    dir_ = dir;
    v2_ = true;
    fd_.reset(::inotify_init1(IN_CLOEXEC | IN_NONBLOCK));
    if (!fd_) return;
    if (::inotify_add_watch(fd_.get(), (dir + "/memory.events").c_str(), IN_MODIFY) < 0) {
      fd_.reset();
      return;
    }
    seen_ = oom_kills();
  }

  uint64_t oom_kills() const {
    return parse_flat_keyed(read_or_empty(dir_ + "/memory.events"))["oom_kill"];
  }

  std::string dir_;
  bool v2_ = false;
  uint64_t seen_ = 0;
  linux_::Fd control_, fd_;
};

}  // namespace

void watch_events(const Manager& m, const std::string& id, int stop_fd,
                  std::chrono::milliseconds interval,
                  const std::function<void(const std::string&)>& emit) {
  using Clock = std::chrono::steady_clock;
  OomWatch oom(m);
  auto report_ooms = [&] {
    for (int n = oom.drain(); n > 0; --n) emit(oom_event_json(id));
  };
  auto next = Clock::now();
  for (;;) {
    auto now = Clock::now();
    if (now >= next) {
      emit(stats_event_json(id, m.stats()));
      next = now + interval;
    }
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next - now).count();
    struct pollfd fds[2] = {{stop_fd, POLLIN, 0}, {oom.fd(), POLLIN, 0}};
    int r = ::poll(fds, oom.fd() >= 0 ? 2 : 1, static_cast<int>(wait < 0 ? 0 : wait));
    if (r < 0 && errno != EINTR) throw Error::sys("waiting for container events");
    if (r <= 0) continue;
    if (oom.fd() >= 0 && (fds[1].revents & POLLIN)) report_ooms();
    if (fds[0].revents & (POLLIN | POLLHUP)) {
      report_ooms();
      return;
    }
  }
}

}  // namespace hull::cgroups
