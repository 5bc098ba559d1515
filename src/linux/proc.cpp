#include "linux/proc.hpp"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "hull/error.hpp"
#include "linux/fd.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"

namespace hull::linux_ {

std::optional<ProcStat> proc_stat(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  Fd fd(kernel().openat(AT_FDCWD, path.c_str(), O_RDONLY | O_CLOEXEC, 0));
  // ENOENT: no such process; ESRCH: it exited while we looked.
  if (!fd && (errno == ENOENT || errno == ESRCH)) return std::nullopt;
  if (!fd) throw Error::sys("reading the state of process " + std::to_string(pid) + ": " + path);
  char buf[1024];
  ssize_t n;
  do {
    n = kernel().read(fd.get(), buf, sizeof(buf) - 1);
  } while (n < 0 && errno == EINTR);
  if (n == 0 || (n < 0 && errno == ESRCH)) return std::nullopt;
  if (n < 0) throw Error::sys("reading the state of process " + std::to_string(pid) + ": " + path);
  buf[n] = '\0';
  // comm may hold spaces and parentheses: fields restart after the last ')'.
  char* p = std::strrchr(buf, ')');
  if (!p || p[1] == '\0') return std::nullopt;
  ProcStat st;
  st.state = p[2];
  // After ')' come fields 3.. separated by spaces; start time is field 22.
  int field = 2;
  for (char* q = p + 1; *q; ++q) {
    if (*q == ' ') {
      ++field;
      if (field == 22) {
        st.start_time = std::strtoull(q + 1, nullptr, 10);
        break;
      }
    }
  }
  return st;
}

bool process_alive(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return false;
  auto st = proc_stat(pid);
  if (!st) return false;
  if (st->state == 'Z' || st->state == 'X') return false;
  return start_time == 0 || st->start_time == start_time;
}

bool process_alive_with_image(pid_t pid, uint64_t start_time) {
  if (!process_alive(pid, start_time)) return false;
  char target[64];
  std::string exe = "/proc/" + std::to_string(pid) + "/exe";
  if (::readlink(exe.c_str(), target, sizeof(target)) < 0) return false;
  return process_alive(pid, start_time);
}

bool in_child_user_namespace() {
  auto text = try_read_file("/proc/self/uid_map");
  if (!text) return false;
  unsigned long inner = 1, outer = 1, count = 0;
  if (std::sscanf(text->c_str(), "%lu %lu %lu", &inner, &outer, &count) != 3) return true;
  return !(inner == 0 && outer == 0 && count == 4294967295UL);
}

}  // namespace hull::linux_
