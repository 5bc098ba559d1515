#include "image/fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "hull/error.hpp"
#include "image/text.hpp"
#include "image/walk.hpp"

namespace hull::image {

Fd open_or_throw(const std::string& path, int flags, mode_t mode) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) throw Error::sys("opening " + path);
  return Fd(fd);
}

TempDir::TempDir(const std::string& parent, const std::string& prefix) {
  std::string tmpl = parent + "/" + prefix + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)
    throw Error::sys("making a temporary directory in " + parent);
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  try {
    remove_all(path_);
  } catch (const Error&) {
    // A destructor cannot report; what is left is named by the error that unwound us.
  }
}

void remove_all_at(int dirfd, const std::string& name) {
  struct stat st;
  if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    throw Error::sys("inspecting " + shown(name));
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlinkat(dirfd, name.c_str(), 0) != 0 && errno != ENOENT)
      throw Error::sys("removing " + shown(name));
    return;
  }
  Fd top(::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!top) throw Error::sys("opening " + shown(name));
  auto where = [&](const std::string& rel) { return shown(name + "/" + rel); };
  // Staying on one device: a mount below (e.g. a bundle rootfs still mounted) is an error
  // rather than something to empty.
  walk(
      top.get(),
      [&](const WalkItem& it) {
        if (!S_ISDIR(it.st.st_mode)) {
          if (::unlinkat(it.dirfd, it.name.c_str(), 0) != 0 && errno != ENOENT)
            throw Error::sys("removing " + where(it.rel));
          return false;
        }
        if (it.st.st_dev != st.st_dev)
          throw Error("refusing to remove " + where(it.rel) + ": a mount point");
        return true;
      },
      [&](const WalkItem& it) {
        if (::unlinkat(it.dirfd, it.name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
          throw Error::sys("removing " + where(it.rel));
      });
  top = Fd();
  if (::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
    throw Error::sys("removing " + shown(name));
}

void remove_all(const std::string& path) {
  remove_all_at(AT_FDCWD, path);
}

void make_dirs(const std::string& path, mode_t mode) {
  // Every missing ancestor, nearest first, then made outermost first.
  std::vector<std::string> missing;
  for (std::string p = path; !p.empty();) {
    struct stat st;
    if (::stat(p.c_str(), &st) == 0) {
      if (!S_ISDIR(st.st_mode)) throw Error(shown(p) + ": exists and is not a directory");
      break;
    }
    missing.push_back(p);
    auto slash = p.find_last_of('/');
    p = slash == std::string::npos || slash == 0 ? std::string() : p.substr(0, slash);
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it)
    if (::mkdir(it->c_str(), mode) != 0 && errno != EEXIST)
      throw Error::sys("making " + shown(*it));
}

}  // namespace hull::image
