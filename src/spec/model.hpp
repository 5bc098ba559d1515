// The typed model of an OCI runtime-spec 1.2 config.json (Linux parts). One struct per Go type of
// the spec's specs-go package, and one member per JSON member, spelled as in JSON so that a
// message's JSON pointer maps straight to code. Two members could not keep their JSON names:
// Spec::linux_ ("linux" is a predefined macro in GNU modes) and IOPriority::class_ (a keyword).
//
// Absence: a string is empty and an array or map is empty when the member is absent. A member
// whose absence means something different from any value (a limit not set, oomScoreAdj left
// alone, no seccomp at all) is a std::optional. A bool whose absence means false is a plain bool.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hull::spec {

using StringMap = std::map<std::string, std::string>;

// ---- process ----

struct Box {
  uint32_t height = 0;
  uint32_t width = 0;
};

struct User {
  uint32_t uid = 0;
  uint32_t gid = 0;
  std::optional<uint32_t> umask;
  std::vector<uint32_t> additionalGids;
  std::string username;  // Windows only; kept because engines may send it
};

struct LinuxCapabilities {
  std::vector<std::string> bounding;
  std::vector<std::string> effective;
  std::vector<std::string> inheritable;
  std::vector<std::string> permitted;
  std::vector<std::string> ambient;
};

struct POSIXRlimit {
  std::string type;  // RLIMIT_*
  uint64_t hard = 0;
  uint64_t soft = 0;
};

// sched_setattr(2) attributes.
struct Scheduler {
  std::string policy;  // SCHED_*
  int32_t nice = 0;
  int32_t priority = 0;
  std::vector<std::string> flags;  // SCHED_FLAG_*
  uint64_t runtime = 0;
  uint64_t deadline = 0;
  uint64_t period = 0;
};

// ioprio_set(2) for the process. The JSON member is "class".
struct IOPriority {
  std::string class_;  // IOPRIO_CLASS_RT | IOPRIO_CLASS_BE | IOPRIO_CLASS_IDLE
  int32_t priority = 0;
};

// CPU lists ("0-3,7") the process is pinned to before and after the exec.
struct CPUAffinity {
  std::string initial;
  std::string final;
};

struct Process {
  bool terminal = false;
  std::optional<Box> consoleSize;
  User user;
  std::vector<std::string> args;
  std::string commandLine;  // Windows only
  std::vector<std::string> env;
  std::string cwd;
  std::optional<LinuxCapabilities> capabilities;
  std::vector<POSIXRlimit> rlimits;
  bool noNewPrivileges = false;
  std::string apparmorProfile;
  std::optional<int> oomScoreAdj;
  std::optional<Scheduler> scheduler;
  std::string selinuxLabel;
  std::optional<IOPriority> ioPriority;
  std::optional<CPUAffinity> execCPUAffinity;
};

// ---- root, mounts, hooks ----

struct Root {
  std::string path;  // may be relative to the bundle
  bool readonly = false;
};

struct LinuxIDMapping {
  uint32_t containerID = 0;
  uint32_t hostID = 0;
  uint32_t size = 0;
};

struct Mount {
  std::string destination;
  std::string type;
  std::string source;
  std::vector<std::string> options;
  std::vector<LinuxIDMapping> uidMappings;  // idmapped mount
  std::vector<LinuxIDMapping> gidMappings;
};

struct Hook {
  std::string path;
  std::vector<std::string> args;
  std::vector<std::string> env;
  std::optional<int> timeout;  // seconds; absent = no timeout
};

struct Hooks {
  std::vector<Hook> prestart;  // deprecated, still sent by docker
  std::vector<Hook> createRuntime;
  std::vector<Hook> createContainer;
  std::vector<Hook> startContainer;
  std::vector<Hook> poststart;
  std::vector<Hook> poststop;
};

// ---- linux: resources ----

// A device cgroup rule. Absent major/minor mean "any" (-1 / '*').
struct LinuxDeviceCgroup {
  bool allow = false;
  std::string type;  // a | c | b; empty = all
  std::optional<int64_t> major;
  std::optional<int64_t> minor;
  std::string access;  // subset of "rwm"
};

struct LinuxMemory {
  std::optional<int64_t> limit;
  std::optional<int64_t> reservation;
  std::optional<int64_t> swap;
  std::optional<int64_t> kernel;  // deprecated
  std::optional<int64_t> kernelTCP;
  std::optional<uint64_t> swappiness;
  std::optional<bool> disableOOMKiller;
  std::optional<bool> useHierarchy;
  std::optional<bool> checkBeforeUpdate;
};

struct LinuxCPU {
  std::optional<uint64_t> shares;
  std::optional<int64_t> quota;
  std::optional<uint64_t> burst;
  std::optional<uint64_t> period;
  std::optional<int64_t> realtimeRuntime;
  std::optional<uint64_t> realtimePeriod;
  std::string cpus;
  std::string mems;
  std::optional<int64_t> idle;
};

struct LinuxPids {
  std::optional<int64_t> limit;  // absent or <= 0: no limit
};

struct LinuxWeightDevice {
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leafWeight;
};

struct LinuxThrottleDevice {
  int64_t major = 0;
  int64_t minor = 0;
  uint64_t rate = 0;
};

struct LinuxBlockIO {
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leafWeight;
  std::vector<LinuxWeightDevice> weightDevice;
  std::vector<LinuxThrottleDevice> throttleReadBpsDevice;
  std::vector<LinuxThrottleDevice> throttleWriteBpsDevice;
  std::vector<LinuxThrottleDevice> throttleReadIOPSDevice;
  std::vector<LinuxThrottleDevice> throttleWriteIOPSDevice;
};

struct LinuxHugepageLimit {
  std::string pageSize;  // "2MB", "1GB", ...
  uint64_t limit = 0;
};

struct LinuxInterfacePriority {
  std::string name;
  uint32_t priority = 0;
};

struct LinuxNetwork {
  std::optional<uint32_t> classID;
  std::vector<LinuxInterfacePriority> priorities;
};

struct LinuxRdma {
  std::optional<uint32_t> hcaHandles;
  std::optional<uint32_t> hcaObjects;
};

struct LinuxResources {
  std::vector<LinuxDeviceCgroup> devices;
  std::optional<LinuxMemory> memory;
  std::optional<LinuxCPU> cpu;
  std::optional<LinuxPids> pids;
  std::optional<LinuxBlockIO> blockIO;
  std::vector<LinuxHugepageLimit> hugepageLimits;
  std::optional<LinuxNetwork> network;
  std::map<std::string, LinuxRdma> rdma;  // key: device name
  StringMap unified;                      // cgroup v2 file -> value
};

// ---- linux: everything else ----

struct LinuxNamespace {
  std::string type;  // pid network mount ipc uts user cgroup time
  std::string path;  // empty: create a new one
};

// A device node to create in the container's /dev.
struct LinuxDevice {
  std::string path;
  std::string type;  // c | b | u | p
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint32_t> fileMode;  // permission bits; absent = 0666 like runc
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
};

struct LinuxSeccompArg {
  uint32_t index = 0;
  uint64_t value = 0;
  uint64_t valueTwo = 0;
  std::string op;  // SCMP_CMP_*
};

struct LinuxSyscall {
  std::vector<std::string> names;
  std::string action;  // SCMP_ACT_*
  std::optional<uint32_t> errnoRet;
  std::vector<LinuxSeccompArg> args;
};

struct LinuxSeccomp {
  std::string defaultAction;
  std::optional<uint32_t> defaultErrnoRet;
  std::vector<std::string> architectures;  // SCMP_ARCH_*
  std::vector<std::string> flags;          // SECCOMP_FILTER_FLAG_*
  std::string listenerPath;
  std::string listenerMetadata;
  std::vector<LinuxSyscall> syscalls;
};

struct LinuxIntelRdt {
  std::string closID;
  std::string l3CacheSchema;
  std::string memBwSchema;
  std::vector<std::string> schemata;  // one line per entry (a single string is one entry)
  bool enableCMT = false;
  bool enableMBM = false;
  bool enableMonitoring = false;
};

struct LinuxPersonality {
  std::string domain;  // LINUX | LINUX32
  std::vector<std::string> flags;
};

struct LinuxTimeOffset {
  int64_t secs = 0;
  uint32_t nanosecs = 0;
};

// set_mempolicy(2) for the container's processes.
struct LinuxMemoryPolicy {
  std::string mode;                // MPOL_*
  std::string nodes;               // node list "0-3,7"
  std::vector<std::string> flags;  // MPOL_F_*
};

// A host network device moved into the container's network namespace (map key: host name).
struct LinuxNetDevice {
  std::string name;  // name inside the container; empty = keep the host name
};

struct Linux {
  std::vector<LinuxIDMapping> uidMappings;
  std::vector<LinuxIDMapping> gidMappings;
  StringMap sysctl;
  std::optional<LinuxResources> resources;
  std::string cgroupsPath;
  std::vector<LinuxNamespace> namespaces;
  std::vector<LinuxDevice> devices;
  std::optional<LinuxSeccomp> seccomp;
  std::string rootfsPropagation;
  std::vector<std::string> maskedPaths;
  std::vector<std::string> readonlyPaths;
  std::string mountLabel;
  std::optional<LinuxIntelRdt> intelRdt;
  std::optional<LinuxPersonality> personality;
  std::map<std::string, LinuxTimeOffset> timeOffsets;  // key: monotonic | boottime
  std::optional<LinuxMemoryPolicy> memoryPolicy;
  std::map<std::string, LinuxNetDevice> netDevices;
};

struct Spec {
  std::string ociVersion;
  std::optional<Process> process;
  std::optional<Root> root;
  std::string hostname;
  std::string domainname;
  std::vector<Mount> mounts;
  std::optional<Hooks> hooks;
  StringMap annotations;
  std::optional<Linux> linux_;  // JSON member "linux"
};

}  // namespace hull::spec
