// Overlay mounts that are alive now, in every mount namespace: what gc asks before it removes
// a layer, since a bundle may have been moved or its record lost while a container still
// runs on its rootfs (issue 16 item 11).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hull::image {

// The lowerdir, upperdir and workdir paths of the overlay mounts in one mountinfo text, as
// given at mount time: the kernel's octal escapes (\040, \054, \134) and overlayfs's own
// backslash escapes within lowerdir ("\:") undone.
std::vector<std::string> overlay_dirs(std::string_view mountinfo);

// overlay_dirs of every mount namespace this process can see through /proc (its own and each
// other process's), each namespace read once.
std::vector<std::string> overlay_dirs_in_use();

}  // namespace hull::image
