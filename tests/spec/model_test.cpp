// The parsed model holds every member of a config, absent members stay absent, and what the
// model does not know (unknown members, any annotation) is accepted.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "hull/error.hpp"
#include "spec/defaults.hpp"
#include "spec/names.hpp"
#include "spec/parse.hpp"
#include "spec/schema_check.hpp"

namespace hull::spec {
namespace {

TEST(Defaults, RootfulSpecParsesAndValidates) {
  Spec s = parse_config(default_spec_json(false));
  ASSERT_TRUE(s.process && s.root && s.linux_);
  EXPECT_EQ(s.root->path, "rootfs");
  EXPECT_EQ(s.process->args, std::vector<std::string>{"sh"});
  EXPECT_TRUE(s.linux_->uidMappings.empty());
}

TEST(Defaults, RootlessSpecParsesAndValidates) {
  Spec s = parse_config(default_spec_json(true, 1000, 1000));
  ASSERT_TRUE(s.linux_);
  ASSERT_EQ(s.linux_->uidMappings.size(), 1u);
  EXPECT_EQ(s.linux_->uidMappings[0].hostID, 1000u);
  EXPECT_EQ(s.linux_->gidMappings[0].size, 1u);
}

constexpr const char* kFull = R"({
  "ociVersion": "1.2.0",
  "futureMember": {"anything": [1, 2, 3]},
  "annotations": {"org.example/key": "v", "any.key": "{}"},
  "root": {"path": "/var/lib/rootfs", "readonly": true},
  "hostname": "box", "domainname": "example.org",
  "process": {
    "terminal": true, "consoleSize": {"height": 24, "width": 80},
    "user": {"uid": 1, "gid": 2, "umask": 18, "additionalGids": [3, 4]},
    "args": ["/bin/true"], "env": ["A=b"], "cwd": "/",
    "capabilities": {"bounding": ["CAP_KILL"], "ambient": ["CAP_BPF"]},
    "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 10, "hard": 20}],
    "noNewPrivileges": true, "oomScoreAdj": -17,
    "scheduler": {"policy": "SCHED_FIFO", "priority": 5, "flags": ["SCHED_FLAG_RECLAIM"]},
    "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
    "execCPUAffinity": {"initial": "0", "final": "0-1"},
    "unknownProcessThing": true
  },
  "mounts": [{"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid"]}],
  "hooks": {"createRuntime": [{"path": "/bin/hook", "args": ["hook", "x"], "timeout": 5}]},
  "linux": {
    "namespaces": [{"type": "user"}, {"type": "uts"}, {"type": "time"}, {"type": "network"},
                   {"type": "cgroup", "path": "/proc/1/ns/cgroup"}],
    "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
    "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
    "timeOffsets": {"monotonic": {"secs": -5, "nanosecs": 7}},
    "sysctl": {"net.ipv4.ip_forward": "1"},
    "devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438},
                {"path": "/dev/fifo", "type": "p"}],
    "resources": {
      "memory": {"limit": -1, "swappiness": 60},
      "cpu": {"cpus": "0-1", "idle": 1},
      "blockIO": {"weight": 500, "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 9}]},
      "hugepageLimits": [{"pageSize": "2MB", "limit": 0}],
      "network": {"classID": 7, "priorities": [{"name": "eth0", "priority": 3}]},
      "rdma": {"mlx5_0": {"hcaHandles": 3}},
      "unified": {"memory.high": "max"}
    },
    "seccomp": {"defaultAction": "SCMP_ACT_ALLOW", "defaultErrnoRet": 1,
                "syscalls": [{"names": ["kill"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3,
                              "args": [{"index": 1, "value": 9, "op": "SCMP_CMP_EQ"}]}]},
    "rootfsPropagation": "rslave",
    "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"],
    "intelRdt": {"closID": "c", "schemata": "L3:0=f"},
    "personality": {"domain": "LINUX32"},
    "memoryPolicy": {"mode": "MPOL_BIND", "nodes": "0", "flags": ["MPOL_F_STATIC_NODES"]},
    "netDevices": {"eth1": {"name": "ctr1"}}
  }
})";

TEST(Model, EveryMemberIsRead) {
  Spec s;
  ASSERT_NO_THROW(s = parse_config(kFull));
  EXPECT_EQ(s.annotations.at("org.example/key"), "v");
  EXPECT_TRUE(s.root->readonly);
  EXPECT_EQ(s.domainname, "example.org");
  const Process& p = *s.process;
  EXPECT_EQ(p.consoleSize->width, 80u);
  EXPECT_EQ(p.user.umask, 18u);
  EXPECT_EQ(p.user.additionalGids, (std::vector<uint32_t>{3, 4}));
  EXPECT_EQ(p.capabilities->ambient, std::vector<std::string>{"CAP_BPF"});
  EXPECT_EQ(p.oomScoreAdj, -17);
  EXPECT_EQ(p.scheduler->priority, 5);
  EXPECT_EQ(p.ioPriority->class_, "IOPRIO_CLASS_BE");
  EXPECT_EQ(p.execCPUAffinity->final, "0-1");
  EXPECT_EQ(s.hooks->createRuntime[0].timeout, 5);
  const Linux& l = *s.linux_;
  EXPECT_EQ(l.namespaces[4].path, "/proc/1/ns/cgroup");
  EXPECT_EQ(l.uidMappings[0].size, 65536u);
  EXPECT_EQ(l.timeOffsets.at("monotonic").secs, -5);
  EXPECT_EQ(l.timeOffsets.at("monotonic").nanosecs, 7u);
  EXPECT_EQ(l.devices[0].fileMode, 0666u);
  EXPECT_FALSE(l.devices[1].uid);
  EXPECT_EQ(l.resources->memory->limit, -1);
  EXPECT_EQ(l.resources->memory->swappiness, 60u);
  EXPECT_EQ(l.resources->cpu->idle, 1);
  EXPECT_EQ(l.resources->blockIO->weight, 500);
  EXPECT_EQ(l.resources->blockIO->throttleReadBpsDevice[0].rate, 9u);
  EXPECT_EQ(l.resources->hugepageLimits[0].pageSize, "2MB");
  EXPECT_EQ(l.resources->network->priorities[0].name, "eth0");
  EXPECT_EQ(l.resources->rdma.at("mlx5_0").hcaHandles, 3u);
  EXPECT_FALSE(l.resources->rdma.at("mlx5_0").hcaObjects);
  EXPECT_EQ(l.resources->unified.at("memory.high"), "max");
  EXPECT_EQ(l.seccomp->defaultErrnoRet, 1u);
  EXPECT_EQ(l.seccomp->syscalls[0].args[0].op, "SCMP_CMP_EQ");
  EXPECT_EQ(l.rootfsPropagation, "rslave");
  EXPECT_EQ(l.intelRdt->schemata, std::vector<std::string>{"L3:0=f"});
  EXPECT_EQ(l.personality->domain, "LINUX32");
  EXPECT_EQ(l.memoryPolicy->flags[0], "MPOL_F_STATIC_NODES");
  EXPECT_EQ(l.netDevices.at("eth1").name, "ctr1");
}

TEST(Model, AbsentMeansAbsent) {
  Spec s = parse_config(R"({"ociVersion": "1.0.0", "root": {"path": "r"},
    "process": {"args": ["x"], "cwd": "/", "oomScoreAdj": null}})");
  EXPECT_FALSE(s.linux_);
  EXPECT_FALSE(s.hooks);
  EXPECT_FALSE(s.process->oomScoreAdj);
  EXPECT_FALSE(s.process->capabilities);
  EXPECT_FALSE(s.process->user.umask);
  EXPECT_FALSE(s.root->readonly);
  EXPECT_TRUE(s.mounts.empty());
}

TEST(Resources, ParseUpdateDocument) {
  LinuxResources r = parse_resources(R"({"memory": {"limit": 1048576}, "pids": {"limit": 9},
    "cpu": {"quota": 20000, "period": 100000}})",
                                     "resources.json");
  EXPECT_EQ(r.memory->limit, 1048576);
  EXPECT_EQ(r.pids->limit, 9);
  EXPECT_EQ(r.cpu->quota, 20000);
}

TEST(Names, Rlimits) {
  EXPECT_EQ(rlimit_resource("RLIMIT_NOFILE"), RLIMIT_NOFILE);
  EXPECT_FALSE(rlimit_resource("RLIMIT_NOPE"));
}

TEST(State, SchemaAcceptsRuncOutputAndRejectsBadStatus) {
  EXPECT_NO_THROW(check_state_json(R"({"ociVersion": "1.0.2", "id": "c1", "status": "running",
    "pid": 42, "bundle": "/b", "annotations": {"a": "b"}})",
                                   "state"));
  try {
    check_state_json(R"({"ociVersion": "1.0.2", "id": "c1", "status": "gone", "bundle": "/b"})",
                     "state");
    FAIL() << "accepted an unknown status";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "state: /status: unknown container status \"gone\" (expected one of creating, "
                 "created, running, stopped, paused)");
  }
}

}  // namespace
}  // namespace hull::spec
