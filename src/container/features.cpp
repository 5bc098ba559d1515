#include "container/features.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "linux/capability_names.hpp"
#include "rootfs/mount_options.hpp"
#include "security/seccomp.hpp"
#include "spec/namespaces.hpp"

namespace hull::container {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

template <typename List>
void strings(Writer& w, const char* key, const List& items) {
  w.Key(key);
  w.StartArray();
  for (const auto& s : items) {
    std::string_view v(s);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndArray();
}

// The table's names, sorted as runc lists them.
std::vector<std::string_view> namespace_names() {
  std::vector<std::string_view> names;
  for (const auto& t : spec::namespace_types()) names.push_back(t.name);
  std::sort(names.begin(), names.end());
  return names;
}

void enabled(Writer& w, const char* key, bool on) {
  w.Key(key);
  w.StartObject();
  w.Key("enabled");
  w.Bool(on);
  w.EndObject();
}

}  // namespace

std::string features_json() {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.SetIndent(' ', 4);
  w.StartObject();
  w.Key("ociVersionMin");
  w.String("1.0.0");
  w.Key("ociVersionMax");
  w.String("1.2.0");
  strings(w, "hooks",
          std::vector<const char*>{"prestart", "createRuntime", "createContainer", "startContainer",
                                   "poststart", "poststop"});
  strings(w, "mountOptions", rootfs::known_mount_options());

  w.Key("linux");
  w.StartObject();
  // Create makes or joins each type of the table, and exec joins each of them.
  strings(w, "namespaces", namespace_names());
  strings(w, "capabilities", linux_::capability_names());
  w.Key("cgroup");
  w.StartObject();
  w.Key("v1");
  w.Bool(true);
  w.Key("v2");
  w.Bool(true);
  // --systemd-cgroup: a transient unit started over D-Bus (src/cgroups/systemd*.cpp); the
  // user instance (--systemd-cgroup --rootless) is not reached.
  w.Key("systemd");
  w.Bool(true);
  w.Key("systemdUser");
  w.Bool(false);
  w.Key("rdma");
  w.Bool(false);
  w.EndObject();
  security::SeccompNames sc = security::seccomp_names();
  w.Key("seccomp");
  w.StartObject();
  w.Key("enabled");
  w.Bool(true);
  strings(w, "actions", sc.actions);
  strings(w, "operators", sc.operators);
  strings(w, "archs", sc.archs);
  strings(w, "knownFlags", sc.flags);
  strings(w, "supportedFlags", sc.flags);
  w.EndObject();
  // Compiled in (features.md): whether the host has the LSM enabled is checked per container.
  enabled(w, "apparmor", true);
  enabled(w, "selinux", true);
  enabled(w, "intelRdt", false);
  w.Key("mountExtensions");
  w.StartObject();
  enabled(w, "idmap", true);
  w.EndObject();
  w.EndObject();

  w.Key("annotations");
  w.StartObject();
  w.Key("org.hull.version");
  w.String(HULL_VERSION);
  w.EndObject();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace hull::container
