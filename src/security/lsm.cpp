#include "security/lsm.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/fd.hpp"
#include "linux/kernel.hpp"

namespace hull::security {
namespace {

bool file_starts_with(const char* path, char c) {
  linux_::Fd fd(linux_::kernel().openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC, 0));
  if (!fd) return false;
  char buf = 0;
  return linux_::kernel().read(fd.get(), &buf, 1) == 1 && buf == c;
}

}  // namespace

bool apparmor_enabled() {
  return file_starts_with("/sys/module/apparmor/parameters/enabled", 'Y') &&
         ::access("/sys/kernel/security/apparmor", F_OK) == 0;
}

bool selinux_enabled() {
  return ::access("/sys/fs/selinux/enforce", F_OK) == 0;
}

void check_lsm(const spec::Spec& spec, const spec::Process& p, const std::string& source) {
  // runc and crun run the container unconfined when the label's LSM is off; say so.
  auto ignored = [](const std::string& field, const std::string& label, const char* lsm) {
    warn(field + ": \"" + label + "\" ignored: " + lsm + " is not enabled on this host");
  };
  if (!p.apparmorProfile.empty() && !apparmor_enabled()) {
    ignored(source + "/apparmorProfile", p.apparmorProfile, "AppArmor");
  }
  if (!p.selinuxLabel.empty() && !selinux_enabled()) {
    ignored(source + "/selinuxLabel", p.selinuxLabel, "SELinux");
  }
  if (spec.linux_ && !spec.linux_->mountLabel.empty() && !selinux_enabled()) {
    ignored("config.json: /linux/mountLabel", spec.linux_->mountLabel, "SELinux");
  }
}

std::vector<ProcAttrWrite> exec_label_writes(const spec::Process& p, const std::string& source) {
  std::vector<ProcAttrWrite> out;
  if (!p.apparmorProfile.empty() && apparmor_enabled()) {
    // The per-LSM directory exists since Linux 5.8; older kernels only have the shared file.
    bool own_dir = ::access("/proc/thread-self/attr/apparmor", F_OK) == 0;
    out.push_back({own_dir ? "thread-self/attr/apparmor/exec" : "thread-self/attr/exec",
                   "exec " + p.apparmorProfile, source + "/apparmorProfile"});
  }
  if (!p.selinuxLabel.empty() && selinux_enabled()) {
    out.push_back({"thread-self/attr/exec", p.selinuxLabel, source + "/selinuxLabel"});
  }
  return out;
}

}  // namespace hull::security
