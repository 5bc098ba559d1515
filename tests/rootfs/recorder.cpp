#include "recorder.hpp"

#include <fcntl.h>
#include <sys/mount.h>

#include <cstdio>

namespace hull::test {

std::string Recorder::name_of(int dirfd, const char* path) const {
  std::string p = path != nullptr ? path : "";
  constexpr std::string_view kFd = "/proc/self/fd/";
  if (p.rfind(kFd, 0) == 0) {
    auto it = fd_paths_.find(std::stoi(p.substr(kFd.size())));
    if (it != fd_paths_.end()) return it->second;
  }
  if (dirfd == AT_FDCWD || (!p.empty() && p.front() == '/')) return p;
  auto it = fd_paths_.find(dirfd);
  std::string base = it != fd_paths_.end() ? it->second : "fd" + std::to_string(dirfd);
  if (p.empty() || p == ".") return base;
  return base == "/" ? "/" + p : base + "/" + p;
}

void Recorder::add(std::string line, long result) {
  if (result < 0) line += " [failed]";
  log_.push_back(std::move(line));
}

std::vector<std::string> Recorder::lines(std::string_view prefix) const {
  std::vector<std::string> out;
  for (const auto& l : log_) {
    if (l.rfind(prefix, 0) == 0) out.push_back(l);
  }
  return out;
}

std::string mount_flags(unsigned long flags) {
  static constexpr std::pair<unsigned long, const char*> kNames[] = {
      {MS_RDONLY, "ro"},
      {MS_NOSUID, "nosuid"},
      {MS_NODEV, "nodev"},
      {MS_NOEXEC, "noexec"},
      {MS_REMOUNT, "remount"},
      {MS_NOATIME, "noatime"},
      {MS_NODIRATIME, "nodiratime"},
      {MS_BIND, "bind"},
      {MS_MOVE, "move"},
      {MS_REC, "rec"},
      {MS_UNBINDABLE, "unbindable"},
      {MS_PRIVATE, "private"},
      {MS_SLAVE, "slave"},
      {MS_SHARED, "shared"},
      {MS_RELATIME, "relatime"},
      {MS_STRICTATIME, "strictatime"}};
  std::string out;
  for (const auto& [bit, name] : kNames) {
    if ((flags & bit) == 0) continue;
    if (!out.empty()) out += '|';
    out += name;
    flags &= ~bit;
  }
  if (flags != 0) {
    char hex[24];
    std::snprintf(hex, sizeof(hex), "%s0x%lx", out.empty() ? "" : "|", flags);
    out += hex;
  }
  return out.empty() ? "-" : out;
}

}  // namespace hull::test
