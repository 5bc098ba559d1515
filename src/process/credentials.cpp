#include "process/credentials.hpp"

#include <grp.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <string_view>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"
#include "linux/procfs.hpp"
#include "spec/ids.hpp"
#include "spec/names.hpp"

namespace hull::process {
namespace {

constexpr const char* kDefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// 0 when path is a regular executable file; else the errno an exec would report.
int check_executable(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) < 0) return errno;
  if (S_ISDIR(st.st_mode)) return EACCES;
  if (::access(path.c_str(), X_OK) < 0) return errno;
  return 0;
}

// Go's errno text (lower case, "permission denied"): engines map exit codes 126/127 from it.
Error exec_error(const std::string& name, int err) {
  std::string text = std::strerror(err);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return Error("exec: \"" + name + "\": " + text);
}

// "deny" in /proc/self/setgroups: this user namespace's gid_map was written unprivileged.
bool setgroups_denied() {
  int saved = errno;
  auto text = linux_::try_read_file("/proc/self/setgroups");
  errno = saved;
  return text && text->rfind("deny", 0) == 0;
}

}  // namespace

void set_user(const spec::User& user, bool allow_setgroups) {
  // Every path was checked when its input was read; this is the last line before the kernel,
  // where (uid_t)-1 would mean "unchanged" and keep root.
  spec::check_id(user.uid, "process.user.uid");
  spec::check_id(user.gid, "process.user.gid");
  for (uint32_t g : user.additionalGids) spec::check_id(g, "process.user.additionalGids");
  linux_::Kernel& k = linux_::kernel();
  if (allow_setgroups) {
    std::vector<gid_t> groups(user.additionalGids.begin(), user.additionalGids.end());
    if (k.setgroups(groups.size(), groups.data()) < 0) {
      // A rootless container that maps only the user's own gid has setgroups denied (the
      // kernel's price for that map); with no groups asked for there is nothing to set.
      bool denied = errno == EPERM && setgroups_denied();
      if (denied && groups.empty()) {
        // nothing to do: the groups the process has are the user's own
      } else if (denied) {
        throw Error(
            "config.json: /process/user/additionalGids: setgroups is denied in this user "
            "namespace (its gidMappings map only the caller's own gid)");
      } else {
        throw Error::sys("config.json: /process/user/additionalGids: setgroups");
      }
    }
  }
  if (k.setresgid(user.gid, user.gid, user.gid) < 0) {
    throw Error::sys("config.json: /process/user/gid: setresgid " + std::to_string(user.gid));
  }
  if (k.setresuid(user.uid, user.uid, user.uid) < 0) {
    throw Error::sys("config.json: /process/user/uid: setresuid " + std::to_string(user.uid));
  }
  if (user.umask) ::umask(*user.umask & 0777);
}

namespace {

void set_rlimit(size_t index, const spec::POSIXRlimit& r, uint64_t soft, uint64_t hard) {
  std::string where = "config.json: /process/rlimits/" + std::to_string(index);
  std::optional<int> resource = spec::rlimit_resource(r.type);
  if (!resource) throw Error(where + ": unknown rlimit type \"" + r.type + "\"");
  struct rlimit lim = {static_cast<rlim_t>(soft), static_cast<rlim_t>(hard)};
  if (linux_::kernel().prlimit(0, *resource, &lim, nullptr) < 0) {
    throw Error::sys(where + ": setting " + r.type + " (soft " + std::to_string(r.soft) +
                     ", hard " + std::to_string(r.hard) + ")");
  }
}

}  // namespace

std::optional<LateRlimit> apply_rlimits(const std::vector<spec::POSIXRlimit>& rlimits) {
  std::optional<LateRlimit> late;
  for (size_t i = 0; i < rlimits.size(); ++i) {
    const auto& r = rlimits[i];
    if (r.type == "RLIMIT_NOFILE" && r.soft < kNofileFloor) {
      set_rlimit(i, r, kNofileFloor, std::max(r.hard, kNofileFloor));
      late = LateRlimit{i, r};
    } else {
      set_rlimit(i, r, r.soft, r.hard);
    }
  }
  return late;
}

void apply_late_rlimit(const LateRlimit& late) {
  set_rlimit(late.index, late.limit, late.limit.soft, late.limit.hard);
}

void set_oom_score_adj(int value) {
  with_context("config.json: /process/oomScoreAdj",
               [&] { linux_::write_proc("self/oom_score_adj", std::to_string(value)); });
}

std::string find_executable(const std::string& name, const std::vector<std::string>& env) {
  if (name.find('/') != std::string::npos) {
    int err = check_executable(name);
    if (err != 0) throw exec_error(name, err);
    return name;
  }
  std::string path = kDefaultPath;
  for (const auto& e : env) {
    if (e.rfind("PATH=", 0) == 0) path = e.substr(5);
  }
  int first_err = 0;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find(':', i);
    if (j == std::string::npos) j = path.size();
    std::string dir = path.substr(i, j - i);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    int err = check_executable(candidate);
    if (err == 0) return candidate;
    if (err == EACCES && first_err == 0) first_err = err;
    i = j + 1;
  }
  if (first_err != 0) throw exec_error(name, first_err);
  throw Error("exec: \"" + name +
              "\": executable file not found in $PATH: no such file or directory");
}

std::optional<std::vector<std::string>> passwd_fields(const std::string& text, uint32_t uid) {
  const std::string want = std::to_string(uid);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::vector<std::string> fields;
    size_t i = pos;
    for (;;) {
      size_t c = text.find(':', i);
      if (c == std::string::npos || c > end) c = end;
      fields.push_back(text.substr(i, c - i));
      if (c == end) break;
      i = c + 1;
    }
    if (fields.size() >= 3 && fields[2] == want) return fields;
    pos = end + 1;
  }
  return std::nullopt;
}

std::vector<std::string> with_home(const std::vector<std::string>& env, uint32_t uid) {
  for (const auto& e : env) {
    if (e.rfind("HOME=", 0) == 0) return env;
  }
  std::string home = "/";
  std::optional<std::string> text;
  try {
    text = linux_::try_read_file("/etc/passwd");
  } catch (const Error& e) {
    // runc and crun start such a container with HOME=/; so does hull, and says why in --log.
    warn(e.message() + ": HOME=/ for uid " + std::to_string(uid));
  }
  if (text) {
    auto fields = passwd_fields(*text, uid);
    if (fields && fields->size() >= 6 && !(*fields)[5].empty()) home = (*fields)[5];
  }
  auto out = env;
  out.push_back("HOME=" + home);
  return out;
}

}  // namespace hull::process
