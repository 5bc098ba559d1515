#include "image/fd.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "hull/error.hpp"

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

namespace {

// Removes the contents of the directory open as dirfd, staying on device dev: a mount below
// (e.g. a bundle rootfs still mounted) is an error rather than something to empty.
void remove_contents(int dirfd, dev_t dev, const std::string& where) {
  int dup = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) throw Error::sys("duplicating fd of " + where);
  DIR* dir = ::fdopendir(dup);
  if (dir == nullptr) {
    ::close(dup);
    throw Error::sys("listing " + where);
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(dir)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(std::move(n));
  }
  ::closedir(dir);
  for (const auto& n : names) {
    struct stat st;
    if (::fstatat(dirfd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;
      throw Error::sys("inspecting " + where + "/" + n);
    }
    if (S_ISDIR(st.st_mode)) {
      if (st.st_dev != dev)
        throw Error("refusing to remove " + where + "/" + n + ": a mount point");
      int sub = ::openat(dirfd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) throw Error::sys("opening " + where + "/" + n);
      Fd owned(sub);
      remove_contents(sub, dev, where + "/" + n);
      if (::unlinkat(dirfd, n.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
        throw Error::sys("removing " + where + "/" + n);
    } else if (::unlinkat(dirfd, n.c_str(), 0) != 0 && errno != ENOENT) {
      throw Error::sys("removing " + where + "/" + n);
    }
  }
}

}  // namespace

void remove_all_at(int dirfd, const std::string& name) {
  struct stat st;
  if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return;
    throw Error::sys("inspecting " + name);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlinkat(dirfd, name.c_str(), 0) != 0 && errno != ENOENT)
      throw Error::sys("removing " + name);
    return;
  }
  int sub = ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (sub < 0) throw Error::sys("opening " + name);
  Fd owned(sub);
  remove_contents(sub, st.st_dev, name);
  if (::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR) != 0 && errno != ENOENT)
    throw Error::sys("removing " + name);
}

void remove_all(const std::string& path) {
  remove_all_at(AT_FDCWD, path);
}

void make_dirs(const std::string& path, mode_t mode) {
  if (path.empty()) return;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw Error(path + ": exists and is not a directory");
    return;
  }
  auto slash = path.find_last_of('/');
  if (slash != std::string::npos && slash > 0) make_dirs(path.substr(0, slash), mode);
  if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) throw Error::sys("making " + path);
}

}  // namespace hull::image
