#include "image/user.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <sstream>

#include "hull/error.hpp"
#include "image/confine.hpp"
#include "image/text.hpp"

namespace hull::image {
namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, sep)) out.push_back(cur);
  if (!s.empty() && s.back() == sep) out.emplace_back();
  return out;
}

std::optional<uint32_t> number(const std::string& s) {
  uint32_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Lines of a colon-separated database, comments and short lines dropped.
std::vector<std::vector<std::string>> records(const std::string& text, size_t min_fields) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto f = split(line, ':');
    if (f.size() >= min_fields && number(f[2])) out.push_back(std::move(f));
  }
  return out;
}

std::string read_optional(int rootfs_fd, const std::string& name) {
  Fd fd;
  try {
    fd = open_file_in_root(rootfs_fd, name);
  } catch (const Error&) {
    return {};
  }
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = ::read(fd.get(), buf, sizeof buf)) > 0) {
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > (4u << 20)) throw Error(shown(name) + " in the rootfs is larger than 4 MiB");
  }
  return out;
}

}  // namespace

ResolvedUser resolve_user(const std::string& spec, const std::string& passwd,
                          const std::string& group) {
  ResolvedUser r;
  if (spec.empty()) return r;
  auto colon = spec.find(':');
  std::string user = spec.substr(0, colon);
  std::string grp = colon == std::string::npos ? "" : spec.substr(colon + 1);
  auto users = records(passwd, 4);
  auto groups = records(group, 3);
  std::string user_name;
  std::optional<uint32_t> primary;
  if (auto uid = number(user)) {
    r.uid = *uid;
    for (const auto& u : users)
      if (number(u[2]) == *uid) {
        user_name = u[0];
        primary = number(u[3]);
        break;
      }
  } else {
    auto it = std::find_if(users.begin(), users.end(), [&](auto& u) { return u[0] == user; });
    if (it == users.end())
      throw Error("user \"" + shown(user) + "\" not found in the image's /etc/passwd");
    user_name = user;
    r.uid = *number((*it)[2]);
    primary = number((*it)[3]);
  }
  if (grp.empty()) {
    r.gid = primary.value_or(0);
  } else if (auto gid = number(grp)) {
    r.gid = *gid;
  } else {
    auto it = std::find_if(groups.begin(), groups.end(), [&](auto& g) { return g[0] == grp; });
    if (it == groups.end())
      throw Error("group \"" + shown(grp) + "\" not found in the image's /etc/group");
    r.gid = *number((*it)[2]);
  }
  if (!user_name.empty()) {
    for (const auto& g : groups) {
      if (g.size() < 4) continue;
      auto members = split(g[3], ',');
      uint32_t gid = *number(g[2]);
      if (gid != r.gid && std::find(members.begin(), members.end(), user_name) != members.end() &&
          std::find(r.additional_gids.begin(), r.additional_gids.end(), gid) ==
              r.additional_gids.end())
        r.additional_gids.push_back(gid);
    }
  }
  return r;
}

ResolvedUser resolve_user_in(int rootfs_fd, const std::string& spec) {
  if (spec.empty()) return {};
  return resolve_user(spec, read_optional(rootfs_fd, "etc/passwd"),
                      read_optional(rootfs_fd, "etc/group"));
}

}  // namespace hull::image
