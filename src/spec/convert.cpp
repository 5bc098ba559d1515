#include "spec/convert.hpp"

#include <limits>
#include <type_traits>

namespace hull::spec {
namespace {

using rapidjson::Value;

// Declared first so the struct readers below can use them; defined after, so that their
// bodies see every struct reader by ordinary lookup.
template <typename T>
void field(const Value& obj, const char* name, T& out);
template <typename T>
void read(const Value& v, std::optional<T>& out);
template <typename T>
void read(const Value& v, std::vector<T>& out);
template <typename T>
void read(const Value& v, std::map<std::string, T>& out);

void read(const Value& v, std::string& out) {
  out.assign(v.GetString(), v.GetStringLength());
}
void read(const Value& v, bool& out) {
  out = v.GetBool();
}

template <typename T>
requires(std::is_integral_v<T> && !std::is_same_v<T, bool>) void read(const Value& v, T& out) {
  if constexpr (std::is_signed_v<T>) {
    out = v.IsInt64() ? static_cast<T>(v.GetInt64()) : std::numeric_limits<T>::max();
  } else {
    out = v.IsUint64() ? static_cast<T>(v.GetUint64()) : 0;
  }
}

void read(const Value& v, Box& out) {
  field(v, "height", out.height);
  field(v, "width", out.width);
}

void read(const Value& v, User& out) {
  field(v, "uid", out.uid);
  field(v, "gid", out.gid);
  field(v, "umask", out.umask);
  field(v, "additionalGids", out.additionalGids);
  field(v, "username", out.username);
}

void read(const Value& v, LinuxCapabilities& out) {
  field(v, "bounding", out.bounding);
  field(v, "effective", out.effective);
  field(v, "inheritable", out.inheritable);
  field(v, "permitted", out.permitted);
  field(v, "ambient", out.ambient);
}

void read(const Value& v, POSIXRlimit& out) {
  field(v, "type", out.type);
  field(v, "hard", out.hard);
  field(v, "soft", out.soft);
}

void read(const Value& v, Scheduler& out) {
  field(v, "policy", out.policy);
  field(v, "nice", out.nice);
  field(v, "priority", out.priority);
  field(v, "flags", out.flags);
  field(v, "runtime", out.runtime);
  field(v, "deadline", out.deadline);
  field(v, "period", out.period);
}

void read(const Value& v, IOPriority& out) {
  field(v, "class", out.class_);
  field(v, "priority", out.priority);
}

void read(const Value& v, CPUAffinity& out) {
  field(v, "initial", out.initial);
  field(v, "final", out.final);
}

void read(const Value& v, Process& out) {
  field(v, "terminal", out.terminal);
  field(v, "consoleSize", out.consoleSize);
  field(v, "user", out.user);
  field(v, "args", out.args);
  field(v, "commandLine", out.commandLine);
  field(v, "env", out.env);
  field(v, "cwd", out.cwd);
  field(v, "capabilities", out.capabilities);
  field(v, "rlimits", out.rlimits);
  field(v, "noNewPrivileges", out.noNewPrivileges);
  field(v, "apparmorProfile", out.apparmorProfile);
  field(v, "oomScoreAdj", out.oomScoreAdj);
  field(v, "scheduler", out.scheduler);
  field(v, "selinuxLabel", out.selinuxLabel);
  field(v, "ioPriority", out.ioPriority);
  field(v, "execCPUAffinity", out.execCPUAffinity);
}

void read(const Value& v, Root& out) {
  field(v, "path", out.path);
  field(v, "readonly", out.readonly);
}

void read(const Value& v, LinuxIDMapping& out) {
  field(v, "containerID", out.containerID);
  field(v, "hostID", out.hostID);
  field(v, "size", out.size);
}

void read(const Value& v, Mount& out) {
  field(v, "destination", out.destination);
  field(v, "type", out.type);
  field(v, "source", out.source);
  field(v, "options", out.options);
  field(v, "uidMappings", out.uidMappings);
  field(v, "gidMappings", out.gidMappings);
}

void read(const Value& v, Hook& out) {
  field(v, "path", out.path);
  field(v, "args", out.args);
  field(v, "env", out.env);
  field(v, "timeout", out.timeout);
}

void read(const Value& v, Hooks& out) {
  field(v, "prestart", out.prestart);
  field(v, "createRuntime", out.createRuntime);
  field(v, "createContainer", out.createContainer);
  field(v, "startContainer", out.startContainer);
  field(v, "poststart", out.poststart);
  field(v, "poststop", out.poststop);
}

void read(const Value& v, LinuxDeviceCgroup& out) {
  field(v, "allow", out.allow);
  field(v, "type", out.type);
  field(v, "major", out.major);
  field(v, "minor", out.minor);
  field(v, "access", out.access);
}

void read(const Value& v, LinuxMemory& out) {
  field(v, "limit", out.limit);
  field(v, "reservation", out.reservation);
  field(v, "swap", out.swap);
  field(v, "kernel", out.kernel);
  field(v, "kernelTCP", out.kernelTCP);
  field(v, "swappiness", out.swappiness);
  field(v, "disableOOMKiller", out.disableOOMKiller);
  field(v, "useHierarchy", out.useHierarchy);
  field(v, "checkBeforeUpdate", out.checkBeforeUpdate);
}

void read(const Value& v, LinuxCPU& out) {
  field(v, "shares", out.shares);
  field(v, "quota", out.quota);
  field(v, "burst", out.burst);
  field(v, "period", out.period);
  field(v, "realtimeRuntime", out.realtimeRuntime);
  field(v, "realtimePeriod", out.realtimePeriod);
  field(v, "cpus", out.cpus);
  field(v, "mems", out.mems);
  field(v, "idle", out.idle);
}

void read(const Value& v, LinuxPids& out) {
  field(v, "limit", out.limit);
}

void read(const Value& v, LinuxWeightDevice& out) {
  field(v, "major", out.major);
  field(v, "minor", out.minor);
  field(v, "weight", out.weight);
  field(v, "leafWeight", out.leafWeight);
}

void read(const Value& v, LinuxThrottleDevice& out) {
  field(v, "major", out.major);
  field(v, "minor", out.minor);
  field(v, "rate", out.rate);
}

void read(const Value& v, LinuxBlockIO& out) {
  field(v, "weight", out.weight);
  field(v, "leafWeight", out.leafWeight);
  field(v, "weightDevice", out.weightDevice);
  field(v, "throttleReadBpsDevice", out.throttleReadBpsDevice);
  field(v, "throttleWriteBpsDevice", out.throttleWriteBpsDevice);
  field(v, "throttleReadIOPSDevice", out.throttleReadIOPSDevice);
  field(v, "throttleWriteIOPSDevice", out.throttleWriteIOPSDevice);
}

void read(const Value& v, LinuxHugepageLimit& out) {
  field(v, "pageSize", out.pageSize);
  field(v, "limit", out.limit);
}

void read(const Value& v, LinuxInterfacePriority& out) {
  field(v, "name", out.name);
  field(v, "priority", out.priority);
}

void read(const Value& v, LinuxNetwork& out) {
  field(v, "classID", out.classID);
  field(v, "priorities", out.priorities);
}

void read(const Value& v, LinuxRdma& out) {
  field(v, "hcaHandles", out.hcaHandles);
  field(v, "hcaObjects", out.hcaObjects);
}

void read(const Value& v, LinuxResources& out) {
  field(v, "devices", out.devices);
  field(v, "memory", out.memory);
  field(v, "cpu", out.cpu);
  field(v, "pids", out.pids);
  field(v, "blockIO", out.blockIO);
  field(v, "hugepageLimits", out.hugepageLimits);
  field(v, "network", out.network);
  field(v, "rdma", out.rdma);
  field(v, "unified", out.unified);
}

void read(const Value& v, LinuxNamespace& out) {
  field(v, "type", out.type);
  field(v, "path", out.path);
}

void read(const Value& v, LinuxDevice& out) {
  field(v, "path", out.path);
  field(v, "type", out.type);
  field(v, "major", out.major);
  field(v, "minor", out.minor);
  field(v, "fileMode", out.fileMode);
  field(v, "uid", out.uid);
  field(v, "gid", out.gid);
}

void read(const Value& v, LinuxSeccompArg& out) {
  field(v, "index", out.index);
  field(v, "value", out.value);
  field(v, "valueTwo", out.valueTwo);
  field(v, "op", out.op);
}

void read(const Value& v, LinuxSyscall& out) {
  field(v, "names", out.names);
  field(v, "action", out.action);
  field(v, "errnoRet", out.errnoRet);
  field(v, "args", out.args);
}

void read(const Value& v, LinuxSeccomp& out) {
  field(v, "defaultAction", out.defaultAction);
  field(v, "defaultErrnoRet", out.defaultErrnoRet);
  field(v, "architectures", out.architectures);
  field(v, "flags", out.flags);
  field(v, "listenerPath", out.listenerPath);
  field(v, "listenerMetadata", out.listenerMetadata);
  field(v, "syscalls", out.syscalls);
}

void read(const Value& v, LinuxIntelRdt& out) {
  field(v, "closID", out.closID);
  field(v, "l3CacheSchema", out.l3CacheSchema);
  field(v, "memBwSchema", out.memBwSchema);
  if (auto it = v.FindMember("schemata"); it != v.MemberEnd() && it->value.IsString()) {
    read(it->value, out.schemata.emplace_back());
  } else {
    field(v, "schemata", out.schemata);
  }
  field(v, "enableCMT", out.enableCMT);
  field(v, "enableMBM", out.enableMBM);
  field(v, "enableMonitoring", out.enableMonitoring);
}

void read(const Value& v, LinuxPersonality& out) {
  field(v, "domain", out.domain);
  field(v, "flags", out.flags);
}

void read(const Value& v, LinuxTimeOffset& out) {
  field(v, "secs", out.secs);
  field(v, "nanosecs", out.nanosecs);
}

void read(const Value& v, LinuxMemoryPolicy& out) {
  field(v, "mode", out.mode);
  field(v, "nodes", out.nodes);
  field(v, "flags", out.flags);
}

void read(const Value& v, LinuxNetDevice& out) {
  field(v, "name", out.name);
}

void read(const Value& v, Linux& out) {
  field(v, "uidMappings", out.uidMappings);
  field(v, "gidMappings", out.gidMappings);
  field(v, "sysctl", out.sysctl);
  field(v, "resources", out.resources);
  field(v, "cgroupsPath", out.cgroupsPath);
  field(v, "namespaces", out.namespaces);
  field(v, "devices", out.devices);
  field(v, "seccomp", out.seccomp);
  field(v, "rootfsPropagation", out.rootfsPropagation);
  field(v, "maskedPaths", out.maskedPaths);
  field(v, "readonlyPaths", out.readonlyPaths);
  field(v, "mountLabel", out.mountLabel);
  field(v, "intelRdt", out.intelRdt);
  field(v, "personality", out.personality);
  field(v, "timeOffsets", out.timeOffsets);
  field(v, "memoryPolicy", out.memoryPolicy);
  field(v, "netDevices", out.netDevices);
}

void read(const Value& v, Spec& out) {
  field(v, "ociVersion", out.ociVersion);
  field(v, "process", out.process);
  field(v, "root", out.root);
  field(v, "hostname", out.hostname);
  field(v, "domainname", out.domainname);
  field(v, "mounts", out.mounts);
  field(v, "hooks", out.hooks);
  field(v, "annotations", out.annotations);
  field(v, "linux", out.linux_);
}

template <typename T>
void field(const Value& obj, const char* name, T& out) {
  auto it = obj.FindMember(name);
  if (it != obj.MemberEnd() && !it->value.IsNull()) read(it->value, out);
}

template <typename T>
void read(const Value& v, std::optional<T>& out) {
  read(v, out.emplace());
}

template <typename T>
void read(const Value& v, std::vector<T>& out) {
  out.resize(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) read(v[i], out[i]);
}

template <typename T>
void read(const Value& v, std::map<std::string, T>& out) {
  for (const auto& m : v.GetObject()) {
    read(m.value, out[std::string(m.name.GetString(), m.name.GetStringLength())]);
  }
}

template <typename T>
T convert(const Value& doc) {
  T out{};
  read(doc, out);
  return out;
}

}  // namespace

Spec to_spec(const Value& doc) {
  return convert<Spec>(doc);
}
Process to_process(const Value& doc) {
  return convert<Process>(doc);
}
LinuxResources to_resources(const Value& doc) {
  return convert<LinuxResources>(doc);
}

}  // namespace hull::spec
