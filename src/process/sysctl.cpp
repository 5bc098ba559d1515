#include "process/sysctl.hpp"

#include <sys/stat.h>

#include <string_view>

#include "hull/error.hpp"
#include "linux/procfs.hpp"
#include "spec/sysctls.hpp"

namespace hull::process {
namespace {

// "net.ipv4.ip_forward" -> "net/ipv4/ip_forward"; runc also takes the slash form.
std::string proc_path(std::string_view key) {
  std::string out(key);
  for (auto& c : out) {
    if (c == '.') c = '/';
  }
  return out;
}

// A namespace joined by path is the container's own unless it is the runtime's (the host's).
bool own_namespace(const spec::Spec& spec, const spec::NamespaceType& type) {
  for (const auto& n : spec.linux_->namespaces) {
    if (n.type != type.name) continue;
    if (n.path.empty()) return true;
    struct stat joined, mine;
    std::string self = "/proc/self/ns/" + std::string(type.proc_name);
    if (::stat(n.path.c_str(), &joined) < 0 || ::stat(self.c_str(), &mine) < 0) return false;
    return joined.st_ino != mine.st_ino || joined.st_dev != mine.st_dev;
  }
  return false;
}

}  // namespace

void check_sysctls(const spec::Spec& spec) {
  if (!spec.linux_) return;
  for (const auto& [key, value] : spec.linux_->sysctl) {
    std::string where = "config.json: /linux/sysctl/" + key;
    if (key.find('/') != std::string::npos || key.find("..") != std::string::npos ||
        key.front() == '.' || key.back() == '.') {
      throw Error(where + ": not a sysctl name (expected dotted form like net.ipv4.ip_forward)");
    }
    const spec::NamespaceType* ns = spec::sysctl_class(key).ns;
    if (!ns) {
      throw Error(where + ": not a namespaced sysctl: setting it would change the host (allowed: " +
                  spec::namespaced_sysctls() + ")");
    }
    if (!own_namespace(spec, *ns)) {
      throw Error(where + ": needs a " + std::string(ns->name) +
                  " namespace of the container's own in /linux/namespaces (this one is the "
                  "host's)");
    }
  }
}

void write_sysctls(const spec::Spec& spec, const std::string& proc_root) {
  if (!spec.linux_ || spec.linux_->sysctl.empty()) return;
  linux_::Fd proc = linux_::open_procfs(proc_root);
  // Not a structured binding: clang 14 (the sanitizer build) cannot capture one.
  for (const auto& entry : spec.linux_->sysctl) {
    const std::string& key = entry.first;
    with_context("config.json: /linux/sysctl/" + key,
                 [&] { linux_::write_proc(proc.get(), "sys/" + proc_path(key), entry.second); });
  }
}

}  // namespace hull::process
