#include "rootfs/remount.hpp"

#include <sys/mount.h>
#include <sys/statvfs.h>

#include "hull/error.hpp"

namespace hull::rootfs {

void remount_keep_locked(const std::string& target, unsigned long flags) {
  unsigned long want = MS_REMOUNT | MS_BIND | (flags & ~MS_REMOUNT);
  if (::mount(nullptr, target.c_str(), nullptr, want, nullptr) == 0) return;
  if (errno != EPERM) throw Error::sys("remounting " + target);
  struct statvfs st;
  if (::statvfs(target.c_str(), &st) < 0) throw Error::sys("statvfs " + target);
  if (st.f_flag & ST_NOSUID) want |= MS_NOSUID;
  if (st.f_flag & ST_NODEV) want |= MS_NODEV;
  if (st.f_flag & ST_NOEXEC) want |= MS_NOEXEC;
  if (st.f_flag & ST_RDONLY) want |= MS_RDONLY;
  if (st.f_flag & ST_NOATIME) want |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) want |= MS_NODIRATIME;
  if (::mount(nullptr, target.c_str(), nullptr, want, nullptr) < 0) {
    throw Error::sys("remounting " + target);
  }
}

}  // namespace hull::rootfs
