#include "process/sysctl.hpp"

#include <sys/stat.h>

#include <array>
#include <string_view>

#include "hull/error.hpp"
#include "linux/procfs.hpp"

namespace hull::process {
namespace {

constexpr std::array<std::string_view, 8> kIpcKeys = {
    "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
    "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};

// The namespace type (as in /linux/namespaces) a key lives in; empty when it has none.
std::string_view namespace_of(std::string_view key) {
  for (auto k : kIpcKeys) {
    if (key == k) return "ipc";
  }
  if (key.starts_with("fs.mqueue.")) return "ipc";
  if (key.starts_with("net.")) return "network";
  if (key == "kernel.hostname" || key == "kernel.domainname") return "uts";
  return {};
}

// "net.ipv4.ip_forward" -> "net/ipv4/ip_forward"; runc also takes the slash form.
std::string proc_path(std::string_view key) {
  std::string out(key);
  for (auto& c : out) {
    if (c == '.') c = '/';
  }
  return out;
}

std::string_view proc_ns_name(std::string_view type) {
  return type == "network" ? "net" : type;
}

// A namespace joined by path is the container's own unless it is the runtime's (the host's).
bool own_namespace(const spec::Spec& spec, std::string_view type) {
  for (const auto& n : spec.linux_->namespaces) {
    if (n.type != type) continue;
    if (n.path.empty()) return true;
    struct stat joined, mine;
    std::string self = "/proc/self/ns/" + std::string(proc_ns_name(type));
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
    std::string_view ns = namespace_of(key);
    if (ns.empty()) {
      throw Error(where +
                  ": not a namespaced sysctl: setting it would change the host "
                  "(allowed: net.*, fs.mqueue.*, kernel.{msg*,sem,shm*}, kernel.hostname, "
                  "kernel.domainname)");
    }
    if (!own_namespace(spec, ns)) {
      throw Error(where + ": needs a " + std::string(ns) +
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
