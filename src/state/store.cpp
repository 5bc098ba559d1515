#include "state/store.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "hull/error.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"
#include "linux/dir_names.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"
#include "linux/remove_tree.hpp"
#include "state/fingerprint.hpp"

namespace hull::state {
namespace {

// An empty Fd when the directory does not exist, or (with wait unset) is locked by another.
linux_::Fd lock_dir(const std::string& path, bool wait = true) {
  linux_::Fd fd(
      linux_::kernel().openat(AT_FDCWD, path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
  if (!fd) return fd;
  while (::flock(fd.get(), LOCK_EX | (wait ? 0 : LOCK_NB)) < 0) {
    if (!wait && errno == EWOULDBLOCK) return {};
    if (errno != EINTR) throw Error::sys("locking " + path);
  }
  return fd;
}

// Temporary directories of creates in progress: "~new~<pid>" ('~' is never in an id).
constexpr char kNewPrefix[] = "~new~";
// A container's directory being removed: "~del~<pid>-<n>". It leaves the id's name in one
// rename, so a delete killed while removing its files never leaves a directory under the id
// that lists as nothing (its state.json gone, the rest still there).
constexpr char kDelPrefix[] = "~del~";

// The pid that made a directory of ours named PREFIX<pid>..., or 0.
pid_t maker_of(const std::string& name) {
  for (const char* prefix : {kNewPrefix, kDelPrefix}) {
    size_t n = std::strlen(prefix);
    if (name.compare(0, n, prefix) == 0) return static_cast<pid_t>(std::atoi(name.c_str() + n));
  }
  return 0;
}

// Removes the directories of creates killed before their rename and of deletes killed after
// theirs.
void sweep_new_dirs(const std::string& root) {
  std::vector<std::string> dead;
  if (auto d = linux_::DirNames::try_open(root)) {
    while (d->next()) {
      std::string n = d->name();
      pid_t pid = maker_of(n);
      if (pid > 0 && linux_::kernel().kill(pid, 0) < 0 && errno == ESRCH) dead.push_back(n);
    }
  }
  if (dead.empty()) return;
  linux_::Fd rfd(
      linux_::kernel().openat(AT_FDCWD, root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
  if (!rfd) return;
  for (const auto& n : dead) {
    try {
      linux_::remove_tree_at(rfd.get(), n, root + "/" + n);
    } catch (const Error&) {
    }
  }
}

}  // namespace

void validate_id(const std::string& id) {
  bool ok = !id.empty() && id != "." && id != ".." && id.size() <= 1024 &&
            std::all_of(id.begin(), id.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '+' || c == '-' || c == '.';
            });
  if (!ok) throw Error("invalid container id \"" + id + "\": use letters, digits and _+-.");
}

ContainerDir::ContainerDir(std::string path, linux_::Fd fd, bool created)
    : path_(std::move(path)), fd_(std::move(fd)), created_(created) {}

ContainerDir::~ContainerDir() {
  if (!created_ || !fd_) return;
  try {
    remove();
  } catch (...) {
  }
}

bool ContainerDir::fifo_exists() const {
  return linux_::exists(fifo_path());
}

void ContainerDir::save(const Record& r) const {
  std::string text;
  if (written_.empty()) {
    text = to_json(r);
  } else {
    Record with = r;
    for (const auto& [name, print] : written_) with.checked[name] = print;
    text = to_json(with);
  }
  // Through the locked dir's fd: the state dir's path cannot be swapped under the write.
  linux_::write_file_atomic_at(fd_.get(), "state.json", text, 0600, file("state.json"));
}

Record ContainerDir::load() const {
  std::string f = file("state.json");
  return from_json(linux_::read_file_bounded(f, json::kStateBytes), f);
}

ContainerDir::Saved ContainerDir::read_saved(const std::string& name, size_t limit) const {
  Record r = load();
  Saved s{linux_::read_file_bounded(file(name), limit)};
  auto it = r.checked.find(name);
  if (it != r.checked.end() && !it->second.empty()) s.intact = it->second == fingerprint(s.text);
  return s;
}

void ContainerDir::remove() {
  auto slash = path_.find_last_of('/');
  std::string parent = path_.substr(0, slash), name = path_.substr(slash + 1);
  linux_::Fd pfd(
      linux_::kernel().openat(AT_FDCWD, parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
  if (!pfd) throw Error::sys("opening " + parent);
  static unsigned removed = 0;
  std::string doomed = kDelPrefix + std::to_string(::getpid()) + "-" + std::to_string(removed++);
  if (linux_::kernel().renameat2(pfd.get(), name.c_str(), pfd.get(), doomed.c_str(),
                                 RENAME_NOREPLACE) == 0) {
    linux_::remove_tree_at(pfd.get(), doomed, parent + "/" + doomed);
  } else {
    linux_::remove_tree_at(pfd.get(), name, path_);
  }
  created_ = false;
}

Store::Store(std::string root) : root_(std::move(root)) {
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

ContainerDir Store::create(const std::string& id, const Record& early,
                           const std::vector<std::pair<std::string, std::string>>& files) const {
  validate_id(id);
  linux_::mkdir_p(root_, 0700);
  ensure_free(id);
  std::string path = root_ + "/" + id;
  sweep_new_dirs(root_);
  std::string tmp = root_ + "/" + kNewPrefix + std::to_string(::getpid());
  if (linux_::kernel().mkdirat(AT_FDCWD, tmp.c_str(), 0711) < 0)
    throw Error::sys("creating state directory " + tmp);
  linux_::Fd fd = lock_dir(tmp);
  // Owns the temporary directory until the rename, then the container's.
  ContainerDir dir(tmp, std::move(fd), true);
  for (const auto& [name, content] : files) {
    linux_::write_file_atomic_at(dir.fd(), name, content, 0600, dir.file(name));
    dir.written_[name] = fingerprint(content);
  }
  dir.save(early);
  if (linux_::kernel().renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) <
      0) {
    if (errno == EEXIST || errno == ENOTEMPTY) {
      throw Error("container \"" + id + "\" already exists");
    }
    throw Error::sys("creating state directory " + path);
  }
  dir.moved_to(path);
  return dir;
}

void Store::ensure_free(const std::string& id) const {
  validate_id(id);
  if (linux_::exists(root_ + "/" + id)) throw Error("container \"" + id + "\" already exists");
}

std::optional<ContainerDir> Store::try_open(const std::string& id) const {
  validate_id(id);
  std::string path = root_ + "/" + id;
  if (!linux_::exists(path + "/state.json")) {
    throw Error("container \"" + id + "\" does not exist");
  }
  linux_::Fd fd = lock_dir(path, false);
  if (!fd) {
    if (!linux_::exists(path)) throw Error("container \"" + id + "\" does not exist");
    return std::nullopt;
  }
  return std::optional<ContainerDir>(std::in_place, path, std::move(fd), false);
}

ContainerDir Store::view(const std::string& id) const {
  validate_id(id);
  return ContainerDir(root_ + "/" + id, linux_::Fd(), false);
}

bool Store::remove_stale(const std::string& id) const {
  validate_id(id);
  std::string path = root_ + "/" + id;
  linux_::Fd fd = lock_dir(path, false);
  if (!fd || linux_::exists(path + "/state.json")) return false;
  ContainerDir(path, std::move(fd), true).remove();
  return true;
}

ContainerDir Store::open(const std::string& id) const {
  validate_id(id);
  std::string path = root_ + "/" + id;
  linux_::Fd fd = lock_dir(path);
  if (!fd || !linux_::exists(path + "/state.json")) {
    throw Error("container \"" + id + "\" does not exist");
  }
  return ContainerDir(path, std::move(fd), false);
}

bool Store::exists(const std::string& id) const {
  return linux_::exists(root_ + "/" + id + "/state.json");
}

std::vector<std::string> Store::ids() const {
  std::vector<std::string> out;
  auto d = linux_::DirNames::try_open(root_);
  if (!d) return out;
  while (d->next()) {
    std::string n = d->name();
    // '~' starts hull's own names (creates in progress, the cache), never an id.
    if (n[0] == '~') continue;
    if (linux_::exists(root_ + "/" + n + "/state.json")) out.push_back(n);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace hull::state
