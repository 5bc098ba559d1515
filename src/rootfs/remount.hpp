#pragma once

#include <string>

namespace hull::rootfs {

// MS_REMOUNT|MS_BIND of target with flags. Flags the kernel locked on the mount (nosuid,
// nodev, noexec, ro, atime bits of a mount from a more privileged namespace) are kept, since
// dropping them is refused with EPERM.
void remount_keep_locked(const std::string& target, unsigned long flags);

// Makes target's mount read-only and keeps its nosuid, nodev and noexec, as runc does for
// readonlyPaths (a bind remount that leaves them out would clear them: /proc/sys would lose
// noexec).
void remount_readonly(const std::string& target);

}  // namespace hull::rootfs
