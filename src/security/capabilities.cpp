#include "security/capabilities.hpp"

#include <sys/capability.h>
#include <sys/prctl.h>

#include <cstdint>
#include <memory>

#include "hull/error.hpp"
#include "linux/capability_names.hpp"
#include "linux/kernel.hpp"

namespace hull::security {
namespace {

// The host's bounding set, asked once per capability however many sets name it (a config
// usually lists the same ones in bounding, effective and permitted).
class HostBounding {
 public:
  bool has(int cap) {
    uint64_t bit = uint64_t{1} << cap;
    if (!(asked_ & bit)) {
      asked_ |= bit;
      if (linux_::kernel().prctl(PR_CAPBSET_READ, static_cast<unsigned long>(cap), 0, 0, 0) == 1) {
        in_ |= bit;
      }
    }
    return in_ & bit;
  }

 private:
  uint64_t asked_ = 0, in_ = 0;
};

std::vector<int> resolve_set(const std::vector<std::string>& names, const std::string& where,
                             HostBounding& host, std::vector<std::string>& warnings) {
  std::vector<int> out;
  for (size_t i = 0; i < names.size(); ++i) {
    std::optional<int> known = linux_::capability_number(names[i]);
    if (!known) {
      throw Error(where + "/" + std::to_string(i) + ": unknown capability \"" + names[i] + "\"");
    }
    int v = *known;
    if (v > linux_::last_capability() || v > 63 || !host.has(v)) {
      warnings.push_back(where + "/" + std::to_string(i) + ": " + names[i] +
                         " is not in this host's bounding set; ignored");
      continue;
    }
    out.push_back(v);
  }
  return out;
}

}  // namespace

CapSets resolve_capabilities(const spec::LinuxCapabilities& caps, const std::string& where,
                             std::vector<std::string>& warnings) {
  CapSets s;
  HostBounding host;
  s.bounding = resolve_set(caps.bounding, where + "/bounding", host, warnings);
  s.effective = resolve_set(caps.effective, where + "/effective", host, warnings);
  s.inheritable = resolve_set(caps.inheritable, where + "/inheritable", host, warnings);
  s.permitted = resolve_set(caps.permitted, where + "/permitted", host, warnings);
  s.ambient = resolve_set(caps.ambient, where + "/ambient", host, warnings);
  return s;
}

void apply_bounding(const CapSets& caps) {
  int last = linux_::last_capability();
  for (int c = 0; c <= last; ++c) {
    bool keep = false;
    for (int k : caps.bounding) keep = keep || k == c;
    if (!keep &&
        linux_::kernel().prctl(PR_CAPBSET_DROP, static_cast<unsigned long>(c), 0, 0, 0) < 0 &&
        errno != EINVAL) {
      throw Error::sys("dropping capability " + std::to_string(c) + " from the bounding set");
    }
  }
}

void apply_capabilities(const CapSets& caps) {
  std::unique_ptr<_cap_struct, int (*)(void*)> state(cap_init(), cap_free);
  if (!state) throw Error::sys("config.json: /process/capabilities: cap_init");
  auto set = [&](cap_flag_t flag, const std::vector<int>& values) {
    if (values.empty()) return;
    std::vector<cap_value_t> v(values.begin(), values.end());
    if (cap_set_flag(state.get(), flag, static_cast<int>(v.size()), v.data(), CAP_SET) < 0) {
      throw Error::sys("config.json: /process/capabilities: cap_set_flag");
    }
  };
  set(CAP_EFFECTIVE, caps.effective);
  set(CAP_PERMITTED, caps.permitted);
  set(CAP_INHERITABLE, caps.inheritable);
  if (linux_::kernel().cap_set_proc(state.get()) < 0) {
    throw Error::sys("config.json: /process/capabilities: setting capabilities");
  }
  state.reset();
  linux_::Kernel& k = linux_::kernel();
  if (k.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
    throw Error::sys("config.json: /process/capabilities/ambient: clearing the ambient set");
  }
  for (int c : caps.ambient) {
    // The kernel refuses (EPERM) an ambient capability not also permitted and inheritable;
    // runc ignores those too.
    if (k.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, static_cast<unsigned long>(c), 0, 0) < 0 &&
        errno != EPERM) {
      throw Error::sys("config.json: /process/capabilities/ambient: raising capability " +
                       std::to_string(c));
    }
  }
}

void set_keep_caps(bool keep) {
  if (linux_::kernel().prctl(PR_SET_KEEPCAPS, keep ? 1 : 0, 0, 0, 0) < 0) {
    throw Error::sys("keeping capabilities across the user switch (PR_SET_KEEPCAPS)");
  }
}

void set_no_new_privileges() {
  if (linux_::kernel().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
    throw Error::sys("config.json: /process/noNewPrivileges");
  }
}

}  // namespace hull::security
