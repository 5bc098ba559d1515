// The one recursive remove: by directory fds, never following a symlink and never entering
// another mount, with a fixed number of open descriptors whatever the depth.
#pragma once

#include <string>

namespace hull::linux_ {

// Removes name in dirfd: a file, a symlink (the link itself) or a directory with everything
// below it. Returns false when nothing was there. Directories are opened O_NOFOLLOW|O_DIRECTORY
// one level at a time; a directory on another mount (st_dev or mount id differs from the top's)
// is refused with an Error naming it, and nothing on it is touched. Climbing back up goes
// through "..", checked against the inode met on the way down, so a directory moved away
// meanwhile is an Error, never a way out of the tree. `what` names the tree in errors (the
// relative path below it is shown escaped).
bool remove_tree_at(int dirfd, const std::string& name, const std::string& what);
// The same for a path (relative to the working directory, or absolute).
bool remove_tree(const std::string& path);

}  // namespace hull::linux_
