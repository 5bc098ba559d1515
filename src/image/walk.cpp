#include "image/walk.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

#include "hull/error.hpp"
#include "image/fd.hpp"
#include "image/text.hpp"
#include "linux/dir_names.hpp"

namespace hull::image {
namespace {

std::vector<std::string> list(int dirfd, const std::string& rel) {
  std::vector<std::string> names;
  for (linux_::DirNames d(dirfd, shown(rel.empty() ? "/" : rel)); d.next();) {
    names.emplace_back(d.name());
  }
  std::sort(names.begin(), names.end());
  return names;
}

struct Frame {
  std::vector<std::string> names;
  size_t next = 0;
  std::string name;  // of this directory in its parent
  std::string rel;
  struct stat st;
};

Fd dup_fd(int fd) {
  Fd out(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (!out) throw Error::sys("duplicating a directory fd");
  return out;
}

}  // namespace

void walk(int root_fd, const WalkEnter& enter, const WalkLeave& leave) {
  struct stat root_st;
  if (::fstat(root_fd, &root_st) != 0) throw Error::sys("inspecting the tree root");
  Fd cur = dup_fd(root_fd);
  std::vector<Frame> stack;
  stack.push_back(Frame{list(root_fd, ""), 0, "", "", root_st});
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next == f.names.size()) {
      Frame done = std::move(f);
      stack.pop_back();
      if (stack.empty()) break;
      if (stack.size() == 1) {
        cur = dup_fd(root_fd);
      } else {
        Fd up(::openat(cur.get(), "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        struct stat st;
        if (!up || ::fstat(up.get(), &st) != 0)
          throw Error::sys("climbing out of " + shown(done.rel));
        if (st.st_dev != stack.back().st.st_dev || st.st_ino != stack.back().st.st_ino)
          throw Error(shown(stack.back().rel) + ": moved while being walked");
        cur = std::move(up);
      }
      if (leave) leave(WalkItem{cur.get(), done.name, done.rel, done.st});
      continue;
    }
    std::string name = f.names[f.next++];
    std::string rel = f.rel.empty() ? name : f.rel + "/" + name;
    struct stat st;
    if (::fstatat(cur.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;
      throw Error::sys("inspecting " + shown(rel));
    }
    if (!enter(WalkItem{cur.get(), name, rel, st}) || !S_ISDIR(st.st_mode) ||
        st.st_dev != root_st.st_dev)
      continue;
    Fd sub(::openat(cur.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!sub) {
      if (errno == ENOENT) continue;  // removed by the callback
      throw Error::sys("opening " + shown(rel));
    }
    struct stat sub_st;
    if (::fstat(sub.get(), &sub_st) != 0) throw Error::sys("inspecting " + shown(rel));
    if (sub_st.st_ino != st.st_ino || sub_st.st_dev != st.st_dev)
      throw Error(shown(rel) + ": replaced while being walked");
    auto names = list(sub.get(), rel);
    stack.push_back(Frame{std::move(names), 0, std::move(name), std::move(rel), sub_st});
    cur = std::move(sub);
  }
}

}  // namespace hull::image
