// Keeping every path of an image inside its rootfs. Names from archives are cleaned lexically
// as if rooted at "/", and directories are opened with openat2(RESOLVE_IN_ROOT), so ".." and
// symlinks (absolute or relative) resolve as they would inside the container: never outside.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "image/fd.hpp"

namespace hull::image {

// "../a/./b//c/" → "a/b/c"; "/" , "." and "" → "" (the root itself). Never starts with "/" or
// contains "." or ".." components.
std::string clean_name(std::string_view name);
// Splits a cleaned, non-empty name into (parent, base); the parent of "a" is "".
std::pair<std::string, std::string> split_name(const std::string& name);

// Opens the directory rel (a cleaned name, "" for the root) below root_fd with every component
// resolved inside root_fd. Returns an invalid Fd with errno set on failure.
Fd open_dir_in_root(int root_fd, const std::string& rel);
// Like open_dir_in_root, but makes missing directories (mode 0755, owned by the caller) on the
// way. Throws an Error naming rel when a component is not a directory.
Fd make_dir_in_root(int root_fd, const std::string& rel);
// Opens the file rel below root_fd for reading, every component resolved inside root_fd.
Fd open_file_in_root(int root_fd, const std::string& rel);

// "/proc/self/fd/N/name": lets path-only calls (lsetxattr, llistxattr) act on name in dirfd
// without resolving anything but the final component.
std::string fd_path(int dirfd, const std::string& name);

}  // namespace hull::image
