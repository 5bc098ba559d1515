#include "spec/defaults.hpp"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <sched.h>

#include <initializer_list>

#include "spec/namespaces.hpp"

namespace hull::spec {
namespace {

using rapidjson::Document;
using rapidjson::Value;

class Builder {
 public:
  explicit Builder(Document& doc) : a_(doc.GetAllocator()) {}

  Value str(const char* s) { return Value(s, a_); }

  Value strings(std::initializer_list<const char*> items) {
    Value arr(rapidjson::kArrayType);
    for (const char* s : items) arr.PushBack(str(s), a_);
    return arr;
  }

  Value mount(const char* dest, const char* type, const char* source,
              std::initializer_list<const char*> options) {
    Value m(rapidjson::kObjectType);
    m.AddMember("destination", str(dest), a_);
    m.AddMember("type", str(type), a_);
    m.AddMember("source", str(source), a_);
    if (options.size() > 0) m.AddMember("options", strings(options), a_);
    return m;
  }

  Value id_map(unsigned host_id) {
    Value maps(rapidjson::kArrayType);
    Value m(rapidjson::kObjectType);
    m.AddMember("containerID", 0, a_);
    m.AddMember("hostID", host_id, a_);
    m.AddMember("size", 1, a_);
    maps.PushBack(m, a_);
    return maps;
  }

  // CLONE_NEW* flags, written by their names in the namespace table.
  Value namespaces(std::initializer_list<int> clone_flags) {
    Value arr(rapidjson::kArrayType);
    for (int flag : clone_flags) {
      std::string_view name = namespace_name(flag);
      Value ns(rapidjson::kObjectType);
      ns.AddMember("type", Value(name.data(), static_cast<rapidjson::SizeType>(name.size()), a_),
                   a_);
      arr.PushBack(ns, a_);
    }
    return arr;
  }

  rapidjson::MemoryPoolAllocator<>& a_;
};

Value process(Builder& b) {
  auto& a = b.a_;
  Value p(rapidjson::kObjectType);
  p.AddMember("terminal", true, a);
  Value user(rapidjson::kObjectType);
  user.AddMember("uid", 0, a);
  user.AddMember("gid", 0, a);
  p.AddMember("user", user, a);
  p.AddMember("args", b.strings({"sh"}), a);
  p.AddMember("env",
              b.strings({"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                         "TERM=xterm"}),
              a);
  p.AddMember("cwd", "/", a);
  Value caps(rapidjson::kObjectType);
  for (const char* set : {"bounding", "effective", "permitted", "ambient"}) {
    caps.AddMember(b.str(set), b.strings({"CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"}),
                   a);
  }
  p.AddMember("capabilities", caps, a);
  Value rlimits(rapidjson::kArrayType);
  Value nofile(rapidjson::kObjectType);
  nofile.AddMember("type", "RLIMIT_NOFILE", a);
  nofile.AddMember("hard", 1024, a);
  nofile.AddMember("soft", 1024, a);
  rlimits.PushBack(nofile, a);
  p.AddMember("rlimits", rlimits, a);
  p.AddMember("noNewPrivileges", true, a);
  return p;
}

Value mounts(Builder& b, bool rootless) {
  auto& a = b.a_;
  Value m(rapidjson::kArrayType);
  m.PushBack(b.mount("/proc", "proc", "proc", {}), a);
  m.PushBack(
      b.mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}), a);
  if (rootless) {
    m.PushBack(b.mount("/dev/pts", "devpts", "devpts",
                       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}),
               a);
  } else {
    m.PushBack(b.mount("/dev/pts", "devpts", "devpts",
                       {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"}),
               a);
  }
  m.PushBack(b.mount("/dev/shm", "tmpfs", "shm",
                     {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}),
             a);
  m.PushBack(b.mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}), a);
  if (rootless) {
    m.PushBack(b.mount("/sys", "none", "/sys", {"rbind", "nosuid", "noexec", "nodev", "ro"}), a);
  } else {
    m.PushBack(b.mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}), a);
  }
  m.PushBack(b.mount("/sys/fs/cgroup", "cgroup", "cgroup",
                     {"nosuid", "noexec", "nodev", "relatime", "ro"}),
             a);
  return m;
}

Value linux_section(Builder& b, bool rootless, unsigned uid, unsigned gid) {
  auto& a = b.a_;
  Value l(rapidjson::kObjectType);
  if (rootless) {
    l.AddMember("uidMappings", b.id_map(uid), a);
    l.AddMember("gidMappings", b.id_map(gid), a);
    l.AddMember(
        "namespaces",
        b.namespaces({CLONE_NEWPID, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNS, CLONE_NEWUSER}), a);
  } else {
    Value resources(rapidjson::kObjectType);
    Value devices(rapidjson::kArrayType);
    Value deny_all(rapidjson::kObjectType);
    deny_all.AddMember("allow", false, a);
    deny_all.AddMember("access", "rwm", a);
    devices.PushBack(deny_all, a);
    resources.AddMember("devices", devices, a);
    l.AddMember("resources", resources, a);
    l.AddMember("namespaces",
                b.namespaces({CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNS}),
                a);
  }
  l.AddMember("maskedPaths",
              b.strings({"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
                         "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
                         "/proc/sched_debug", "/sys/firmware", "/proc/scsi"}),
              a);
  l.AddMember("readonlyPaths",
              b.strings({"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"}),
              a);
  return l;
}

}  // namespace

std::string default_spec_json(bool rootless, unsigned host_uid, unsigned host_gid) {
  Document doc(rapidjson::kObjectType);
  Builder b(doc);
  auto& a = doc.GetAllocator();
  doc.AddMember("ociVersion", "1.2.0", a);
  doc.AddMember("process", process(b), a);
  Value root(rapidjson::kObjectType);
  root.AddMember("path", "rootfs", a);
  root.AddMember("readonly", true, a);
  doc.AddMember("root", root, a);
  doc.AddMember("hostname", "hull", a);
  doc.AddMember("mounts", mounts(b, rootless), a);
  doc.AddMember("linux", linux_section(b, rootless, host_uid, host_gid), a);

  rapidjson::StringBuffer out;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(out);
  writer.SetIndent('\t', 1);
  doc.Accept(writer);
  return std::string(out.GetString(), out.GetSize()) + "\n";
}

}  // namespace hull::spec
