// Walking a directory tree without recursion and with a fixed number of open descriptors, so
// that no depth a layer can produce exhausts the stack or the fd limit (issue 16 item 10).
#pragma once

#include <sys/stat.h>

#include <functional>
#include <string>

namespace hull::image {

// One entry met by walk(). dirfd is the directory holding it, open while the callback runs.
struct WalkItem {
  int dirfd;
  const std::string& name;  // its name in dirfd
  const std::string& rel;   // its path below the walk's root: "a/b/c"
  const struct stat& st;    // lstat of it
};

// Walks everything below root_fd, depth first, calling enter for every entry (a directory
// before its children, names sorted; for a directory, true enters it) and leave for every
// directory entered, after its children (e.g. to remove it). Callbacks may remove or rename
// what they are shown. A directory on another filesystem is shown to
// enter but never entered. Climbing back up goes through "..", checked against the inode met
// on the way down: a directory moved away during the walk is an Error, never a way out.
using WalkEnter = std::function<bool(const WalkItem&)>;
using WalkLeave = std::function<void(const WalkItem&)>;
void walk(int root_fd, const WalkEnter& enter, const WalkLeave& leave = {});

}  // namespace hull::image
