#include "rootfs/remount.hpp"

#include <sys/mount.h>
#include <sys/statvfs.h>

#include "hull/error.hpp"
#include "linux/kernel.hpp"

namespace hull::rootfs {
namespace {

// The MS_* flags target's mount has now, of those in `which`.
unsigned long current_flags(const std::string& target, unsigned long which) {
  struct statvfs st;
  if (::statvfs(target.c_str(), &st) < 0) throw Error::sys("statvfs " + target);
  unsigned long have = 0;
  if (st.f_flag & ST_NOSUID) have |= MS_NOSUID;
  if (st.f_flag & ST_NODEV) have |= MS_NODEV;
  if (st.f_flag & ST_NOEXEC) have |= MS_NOEXEC;
  if (st.f_flag & ST_RDONLY) have |= MS_RDONLY;
  if (st.f_flag & ST_NOATIME) have |= MS_NOATIME;
  if (st.f_flag & ST_NODIRATIME) have |= MS_NODIRATIME;
  return have & which;
}

}  // namespace

void remount_keep_locked(const std::string& target, unsigned long flags) {
  unsigned long want = MS_REMOUNT | MS_BIND | (flags & ~MS_REMOUNT);
  linux_::Kernel& k = linux_::kernel();
  if (k.mount(nullptr, target.c_str(), nullptr, want, nullptr) == 0) return;
  if (errno != EPERM) throw Error::sys("remounting " + target);
  want |= current_flags(target, ~0UL);
  if (k.mount(nullptr, target.c_str(), nullptr, want, nullptr) < 0) {
    throw Error::sys("remounting " + target);
  }
}

void remount_readonly(const std::string& target) {
  remount_keep_locked(
      target, MS_BIND | MS_RDONLY | current_flags(target, MS_NOSUID | MS_NODEV | MS_NOEXEC));
}

}  // namespace hull::rootfs
