#include "security/lsm.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "hull/error.hpp"

namespace hull::security {
namespace {

bool file_starts_with(const char* path, char c) {
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buf = 0;
  ssize_t n = ::read(fd, &buf, 1);
  ::close(fd);
  return n == 1 && buf == c;
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
  if (!p.apparmorProfile.empty() && !apparmor_enabled()) {
    throw Error(source + "/apparmorProfile: \"" + p.apparmorProfile +
                "\" asks for AppArmor, which is not enabled on this host");
  }
  if (!p.selinuxLabel.empty() && !selinux_enabled()) {
    throw Error(source + "/selinuxLabel: \"" + p.selinuxLabel +
                "\" asks for SELinux, which is not enabled on this host");
  }
  if (spec.linux_ && !spec.linux_->mountLabel.empty() && !selinux_enabled()) {
    throw Error("config.json: /linux/mountLabel: \"" + spec.linux_->mountLabel +
                "\" asks for SELinux, which is not enabled on this host");
  }
}

std::vector<ProcAttrWrite> exec_label_writes(const spec::Process& p, const std::string& source) {
  std::vector<ProcAttrWrite> out;
  if (!p.apparmorProfile.empty()) {
    // The per-LSM directory exists since Linux 5.8; older kernels only have the shared file.
    bool own_dir = ::access("/proc/thread-self/attr/apparmor", F_OK) == 0;
    out.push_back({own_dir ? "thread-self/attr/apparmor/exec" : "thread-self/attr/exec",
                   "exec " + p.apparmorProfile, source + "/apparmorProfile"});
  }
  if (!p.selinuxLabel.empty()) {
    out.push_back({"thread-self/attr/exec", p.selinuxLabel, source + "/selinuxLabel"});
  }
  return out;
}

}  // namespace hull::security
