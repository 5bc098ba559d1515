#include "spec/validate.hpp"

#include <sched.h>

#include <algorithm>
#include <string>

#include "linux/capability_names.hpp"
#include "spec/ids.hpp"
#include "spec/issue.hpp"
#include "spec/names.hpp"
#include "spec/namespaces.hpp"
#include "spec/sysctls.hpp"

namespace hull::spec {
namespace {

// Built by appending: g++ 12 at -O3 warns falsely (-Wrestrict) on "\"" + std::string(s).
std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out += '"';
  out += s;
  out += '"';
  return out;
}

bool absolute(std::string_view path) {
  return !path.empty() && path.front() == '/';
}

void require_absolute(std::string_view path, std::string_view source, const std::string& ptr) {
  if (!absolute(path)) fail(source, ptr, "expected an absolute path, got " + quoted(path));
}

void require_absolute_all(const std::vector<std::string>& paths, std::string_view source,
                          const std::string& base) {
  for (size_t i = 0; i < paths.size(); ++i) require_absolute(paths[i], source, at(base, i));
}

const LinuxNamespace* find_namespace(const Spec& spec, int clone_flag) {
  if (!spec.linux_) return nullptr;
  std::string_view type = namespace_name(clone_flag);
  for (const auto& ns : spec.linux_->namespaces) {
    if (ns.type == type) return &ns;
  }
  return nullptr;
}

void check_capabilities(const LinuxCapabilities& caps, std::string_view source,
                        const std::string& base) {
  const std::pair<const char*, const std::vector<std::string>*> sets[] = {
      {"bounding", &caps.bounding},
      {"effective", &caps.effective},
      {"inheritable", &caps.inheritable},
      {"permitted", &caps.permitted},
      {"ambient", &caps.ambient}};
  for (const auto& [name, list] : sets) {
    for (size_t i = 0; i < list->size(); ++i) {
      if (!linux_::capability_number((*list)[i])) {
        fail(source, at(at(base, name), i), "unknown capability " + quoted((*list)[i]));
      }
    }
  }
}

void check_rlimits(const std::vector<POSIXRlimit>& rlimits, std::string_view source,
                   const std::string& base) {
  for (size_t i = 0; i < rlimits.size(); ++i) {
    const auto& r = rlimits[i];
    std::string ptr = at(base, i);
    if (!rlimit_resource(r.type)) fail(source, at(ptr, "type"), "unknown rlimit " + quoted(r.type));
    for (size_t j = 0; j < i; ++j) {
      if (rlimits[j].type == r.type) {
        fail(source, at(ptr, "type"),
             "duplicate rlimit " + quoted(r.type) + " (already at " + at(base, j) + ")");
      }
    }
    if (r.soft > r.hard) {
      fail(source, ptr,
           "soft limit " + std::to_string(r.soft) + " is above the hard limit " +
               std::to_string(r.hard));
    }
  }
}

void check_env(const std::vector<std::string>& env, std::string_view source,
               const std::string& base) {
  for (size_t i = 0; i < env.size(); ++i) {
    size_t eq = env[i].find('=');
    if (eq == std::string::npos || eq == 0) {
      fail(source, at(base, i), "expected NAME=value, got " + quoted(env[i]));
    }
  }
}

void check_scheduler(const Scheduler& s, std::string_view source, const std::string& base) {
  bool realtime = s.policy == "SCHED_FIFO" || s.policy == "SCHED_RR";
  if (realtime && (s.priority < 1 || s.priority > 99)) {
    fail(source, at(base, "priority"),
         "value " + std::to_string(s.priority) + " is outside 1..99 for " + s.policy);
  }
  if (!realtime && s.priority != 0) {
    fail(source, at(base, "priority"), "must be 0 for " + s.policy);
  }
}

// "config.json: /process/user/uid": the prefix of an error about that field.
std::string located(std::string_view source, std::string_view pointer) {
  std::string out(source);
  out += ": ";
  out += pointer;
  return out;
}

void check_user(const User& u, std::string_view source, const std::string& base) {
  check_id(u.uid, located(source, at(base, "uid")));
  check_id(u.gid, located(source, at(base, "gid")));
  for (size_t i = 0; i < u.additionalGids.size(); ++i) {
    check_id(u.additionalGids[i], located(source, at(at(base, "additionalGids"), i)));
  }
}

void check_id_mappings(const std::vector<LinuxIDMapping>& maps, std::string_view source,
                       const std::string& base) {
  for (size_t i = 0; i < maps.size(); ++i) check_id_mapping(maps[i], source, at(base, i));
}

void check_mounts(const std::vector<Mount>& mounts, std::string_view source) {
  for (size_t i = 0; i < mounts.size(); ++i) {
    const auto& m = mounts[i];
    std::string ptr = at("/mounts", i);
    require_absolute(m.destination, source, at(ptr, "destination"));
    if (m.uidMappings.empty() != m.gidMappings.empty()) {
      fail(source, ptr, "an idmapped mount needs both uidMappings and gidMappings");
    }
    check_id_mappings(m.uidMappings, source, at(ptr, "uidMappings"));
    check_id_mappings(m.gidMappings, source, at(ptr, "gidMappings"));
  }
}

void check_hooks(const Hooks& hooks, std::string_view source) {
  const std::pair<const char*, const std::vector<Hook>*> stages[] = {
      {"prestart", &hooks.prestart},
      {"createRuntime", &hooks.createRuntime},
      {"createContainer", &hooks.createContainer},
      {"startContainer", &hooks.startContainer},
      {"poststart", &hooks.poststart},
      {"poststop", &hooks.poststop}};
  for (const auto& [stage, list] : stages) {
    // createContainer hooks run in the rootfs (as runc), so a relative path is well defined
    // there and runc accepts it: images rely on that.
    if (std::string_view(stage) == "createContainer") continue;
    for (size_t i = 0; i < list->size(); ++i) {
      require_absolute((*list)[i].path, source, at(at(at("/hooks", stage), i), "path"));
    }
  }
}

void check_namespaces(const Linux& lx, std::string_view source) {
  const auto& nss = lx.namespaces;
  for (size_t i = 0; i < nss.size(); ++i) {
    std::string ptr = at("/linux/namespaces", i);
    for (size_t j = 0; j < i; ++j) {
      if (nss[j].type == nss[i].type) {
        fail(source, at(ptr, "type"),
             "duplicate namespace type " + quoted(nss[i].type) + " (already at " +
                 at("/linux/namespaces", j) + ")");
      }
    }
    if (!nss[i].path.empty()) require_absolute(nss[i].path, source, at(ptr, "path"));
  }
  auto user = std::find_if(nss.begin(), nss.end(),
                           [](auto& ns) { return ns.type == namespace_name(CLONE_NEWUSER); });
  if (user == nss.end()) {
    if (!lx.uidMappings.empty()) {
      fail(source, "/linux/uidMappings", "uid mappings need a user namespace in /linux/namespaces");
    }
    if (!lx.gidMappings.empty()) {
      fail(source, "/linux/gidMappings", "gid mappings need a user namespace in /linux/namespaces");
    }
  } else if (user->path.empty() && (lx.uidMappings.empty() || lx.gidMappings.empty())) {
    fail(source, at("/linux/namespaces", static_cast<size_t>(user - nss.begin())),
         "a new user namespace needs /linux/uidMappings and /linux/gidMappings");
  }
}

// Sysctls that belong to a namespace the container must have (spec/sysctls' table). Whether
// that namespace is the container's own or the host's is process/sysctl's check at create.
void check_sysctl(const Spec& spec, std::string_view source) {
  for (const auto& [key, value] : spec.linux_->sysctl) {
    if (key.empty()) fail(source, "/linux/sysctl", "keys must not be empty");
    SysctlClass c = sysctl_class(key);
    if (c.ns && !find_namespace(spec, c.ns->clone_flag)) {
      fail(source, at("/linux/sysctl", key), std::string(c.need) + " in /linux/namespaces");
    }
  }
}

void check_time_offsets(const Spec& spec, std::string_view source) {
  const auto& offsets = spec.linux_->timeOffsets;
  if (offsets.empty()) return;
  const LinuxNamespace* time = find_namespace(spec, CLONE_NEWTIME);
  if (time == nullptr || !time->path.empty()) {
    fail(source, "/linux/timeOffsets",
         "time offsets need a new time namespace in /linux/namespaces");
  }
  for (const auto& [clock, offset] : offsets) {
    if (clock != "monotonic" && clock != "boottime") {
      fail(source, at("/linux/timeOffsets", clock),
           "unknown clock " + quoted(clock) + " (expected one of monotonic, boottime)");
    }
  }
}

bool valid_ifname(std::string_view name) {
  return !name.empty() && name.size() < 16 && name != "." && name != ".." &&
         name.find_first_of("/: \t\n") == std::string_view::npos;
}

void check_net_devices(const Spec& spec, std::string_view source) {
  const auto& devices = spec.linux_->netDevices;
  if (devices.empty()) return;
  if (!find_namespace(spec, CLONE_NEWNET)) {
    fail(source, "/linux/netDevices", "net devices need a network namespace in /linux/namespaces");
  }
  for (const auto& [host_name, device] : devices) {
    std::string ptr = at("/linux/netDevices", host_name);
    if (!valid_ifname(host_name)) fail(source, ptr, "not a valid interface name");
    if (!device.name.empty() && !valid_ifname(device.name)) {
      fail(source, at(ptr, "name"), "not a valid interface name: " + quoted(device.name));
    }
  }
}

void check_seccomp(const LinuxSeccomp& seccomp, std::string_view source) {
  if (seccomp.defaultAction == "SCMP_ACT_NOTIFY") {
    fail(source, "/linux/seccomp/defaultAction", "SCMP_ACT_NOTIFY cannot be the default action");
  }
  for (size_t i = 0; i < seccomp.syscalls.size(); ++i) {
    if (seccomp.syscalls[i].action == "SCMP_ACT_NOTIFY" && seccomp.listenerPath.empty()) {
      fail(source, at(at("/linux/seccomp/syscalls", i), "action"),
           "SCMP_ACT_NOTIFY needs /linux/seccomp/listenerPath");
    }
  }
}

void check_linux(const Spec& spec, std::string_view source) {
  const Linux& lx = *spec.linux_;
  check_namespaces(lx, source);
  check_id_mappings(lx.uidMappings, source, "/linux/uidMappings");
  check_id_mappings(lx.gidMappings, source, "/linux/gidMappings");
  check_sysctl(spec, source);
  check_time_offsets(spec, source);
  check_net_devices(spec, source);
  for (size_t i = 0; i < lx.devices.size(); ++i) {
    const auto& d = lx.devices[i];
    std::string ptr = at("/linux/devices", i);
    require_absolute(d.path, source, at(ptr, "path"));
    if (d.uid) check_id(*d.uid, located(source, at(ptr, "uid")));
    if (d.gid) check_id(*d.gid, located(source, at(ptr, "gid")));
  }
  require_absolute_all(lx.maskedPaths, source, "/linux/maskedPaths");
  require_absolute_all(lx.readonlyPaths, source, "/linux/readonlyPaths");
  if (lx.seccomp) check_seccomp(*lx.seccomp, source);
  if (lx.memoryPolicy) {
    const auto& mp = *lx.memoryPolicy;
    if ((mp.mode == "MPOL_DEFAULT" || mp.mode == "MPOL_LOCAL") && !mp.nodes.empty()) {
      fail(source, "/linux/memoryPolicy/nodes", "must be empty for " + mp.mode);
    }
  }
  if (lx.resources) validate_resources(*lx.resources, source, "/linux/resources");
}

}  // namespace

void check_no_nul(const rapidjson::Value& doc, std::string_view source) {
  // Iterative: the document's depth is whatever the reader allowed.
  std::vector<std::pair<const rapidjson::Value*, std::string>> todo{{&doc, ""}};
  auto has_nul = [](const rapidjson::Value& s) {
    return std::string_view(s.GetString(), s.GetStringLength()).find('\0') !=
           std::string_view::npos;
  };
  while (!todo.empty()) {
    auto [v, ptr] = std::move(todo.back());
    todo.pop_back();
    if (v->IsString() && has_nul(*v)) {
      fail(source, ptr, "holds a NUL character (\\u0000), which would cut the string short there");
    } else if (v->IsObject()) {
      for (const auto& m : v->GetObject()) {
        std::string name(m.name.GetString(), m.name.GetStringLength());
        if (has_nul(m.name)) {
          std::string shown;
          for (char c : name) shown += c == '\0' ? std::string("\\u0000") : std::string(1, c);
          fail(source, ptr.empty() ? "/" : ptr,
               "a member name holds a NUL character: " + quoted(shown));
        }
        todo.emplace_back(&m.value, at(ptr, name));
      }
    } else if (v->IsArray()) {
      for (rapidjson::SizeType i = 0; i < v->Size(); ++i) todo.emplace_back(&(*v)[i], at(ptr, i));
    }
  }
}

void check_config_json(const rapidjson::Value& doc, std::string_view source) {
  auto lx = doc.FindMember("linux");
  if (lx == doc.MemberEnd() || !lx->value.IsObject()) return;
  auto devices = lx->value.FindMember("devices");
  if (devices == lx->value.MemberEnd() || !devices->value.IsArray()) return;
  for (rapidjson::SizeType i = 0; i < devices->value.Size(); ++i) {
    const auto& dev = devices->value[i];
    std::string type = dev["type"].GetString();
    if (type == "p") continue;
    for (const char* number : {"major", "minor"}) {
      if (!dev.HasMember(number)) {
        fail(source, at("/linux/devices", i),
             std::string("missing required member \"") + number + "\" for a device of type " +
                 quoted(type));
      }
    }
  }
}

void validate_process(const Process& p, std::string_view source, std::string_view base) {
  std::string b(base);
  if (p.args.empty())
    fail(source, at(b, "args"), "must not be empty: args[0] is the program to run");
  require_absolute(p.cwd, source, at(b, "cwd"));
  check_user(p.user, source, at(b, "user"));
  check_env(p.env, source, at(b, "env"));
  if (p.capabilities) check_capabilities(*p.capabilities, source, at(b, "capabilities"));
  check_rlimits(p.rlimits, source, at(b, "rlimits"));
  if (p.scheduler) check_scheduler(*p.scheduler, source, at(b, "scheduler"));
}

void validate_resources(const LinuxResources& r, std::string_view source, std::string_view base) {
  std::string b(base);
  if (r.memory && r.memory->limit && r.memory->swap) {
    int64_t limit = *r.memory->limit;
    int64_t swap = *r.memory->swap;
    if (limit > 0 && swap > 0 && swap < limit) {
      fail(source, at(at(b, "memory"), "swap"),
           "the memory+swap limit " + std::to_string(swap) + " is below the memory limit " +
               std::to_string(limit));
    }
  }
  for (const auto& [file, value] : r.unified) {
    if (file.empty() || file.find('/') != std::string::npos || file == "." || file == "..") {
      fail(source, at(at(b, "unified"), file), "expected a cgroup file name");
    }
  }
}

void validate_spec(const Spec& spec, std::string_view source) {
  if (!spec.root || spec.root->path.empty()) fail(source, "/root/path", "must not be empty");
  if (!spec.process) fail(source, "", "missing required member \"process\"");
  validate_process(*spec.process, source, "/process");
  check_mounts(spec.mounts, source);
  if (spec.hooks) check_hooks(*spec.hooks, source);
  if (spec.annotations.count("") != 0) fail(source, "/annotations", "keys must not be empty");
  if (!spec.hostname.empty() && !find_namespace(spec, CLONE_NEWUTS)) {
    fail(source, "/hostname", "setting the hostname needs a uts namespace in /linux/namespaces");
  }
  if (!spec.domainname.empty() && !find_namespace(spec, CLONE_NEWUTS)) {
    fail(source, "/domainname",
         "setting the domainname needs a uts namespace in /linux/namespaces");
  }
  if (spec.linux_) check_linux(spec, source);
}

}  // namespace hull::spec
