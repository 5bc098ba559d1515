// Every config.json and process.json that podman, docker and containerd really sent to runc on a
// machine like ours must parse and validate (fixtures/engine-configs/README.md).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "linux/files.hpp"
#include "spec/json_doc.hpp"
#include "spec/parse.hpp"

namespace hull::spec {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(HULL_SPEC_FIXTURES) / "engine-configs";

std::vector<fs::path> fixtures(std::string_view suffix) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(kDir)) {
    if (entry.path().filename().string().ends_with(suffix)) out.push_back(entry.path());
  }
  return out;
}

Spec load(const std::string& name) {
  std::string path = (kDir / name).string();
  return parse_config(linux_::read_file(path), path);
}

TEST(EngineConfigs, EveryConfigParsesAndValidates) {
  auto files = fixtures(".config.json");
  ASSERT_GE(files.size(), 12u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    EXPECT_NO_THROW(parse_config(linux_::read_file(f.string()), f.string()));
  }
}

TEST(EngineConfigs, EveryProcessParses) {
  auto files = fixtures(".process.json");
  ASSERT_GE(files.size(), 6u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.filename().string());
    Process p;
    ASSERT_NO_THROW(p = parse_process(linux_::read_file(f.string()), f.string()));
    EXPECT_FALSE(p.args.empty());
    EXPECT_EQ(p.cwd, "/");
  }
}

TEST(EngineConfigs, LoadConfigReadsTheBundle) {
  // A bundle dir is just a dir with config.json; make one from a fixture.
  fs::path dir = fs::temp_directory_path() / ("hull-spec-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::copy_file(kDir / "ctr-run-true.config.json", dir / "config.json",
                fs::copy_options::overwrite_existing);
  Spec s = load_config(dir.string());
  fs::remove_all(dir);
  ASSERT_TRUE(s.root);
  EXPECT_EQ(s.root->path, "rootfs");
}

TEST(EngineConfigs, PodmanCgroupsPathAndJoinedNetns) {
  Spec s = load("podman-run-true.config.json");
  ASSERT_TRUE(s.linux_);
  EXPECT_EQ(s.linux_->cgroupsPath.rfind("/libpod_parent/libpod-", 0), 0u);
  const LinuxNamespace* net = nullptr;
  for (const auto& ns : s.linux_->namespaces) {
    if (ns.type == "network") net = &ns;
  }
  ASSERT_NE(net, nullptr);
  EXPECT_EQ(net->path.rfind("/run/netns/netns-", 0), 0u);
  // podman sends "listenerPath": null; null is absent.
  ASSERT_TRUE(s.linux_->seccomp);
  EXPECT_EQ(s.linux_->seccomp->defaultAction, "SCMP_ACT_ERRNO");
  EXPECT_TRUE(s.linux_->seccomp->listenerPath.empty());
  EXPECT_TRUE(s.linux_->seccomp->flags.empty());
  EXPECT_EQ(s.linux_->seccomp->architectures.front(), "SCMP_ARCH_X86_64");
  ASSERT_TRUE(s.linux_->resources && s.linux_->resources->pids);
  EXPECT_EQ(s.linux_->resources->pids->limit, 2048);
}

TEST(EngineConfigs, PodmanSystemdCgroupsPath) {
  Spec s = load("podman-systemd-cgroup.config.json");
  EXPECT_EQ(s.linux_->cgroupsPath.rfind("machine.slice:libpod:", 0), 0u);
}

TEST(EngineConfigs, PodmanMemoryPidsCpus) {
  Spec s = load("podman-run-memory-pids-cpus.config.json");
  const auto& r = *s.linux_->resources;
  ASSERT_TRUE(r.memory && r.cpu && r.pids);
  EXPECT_EQ(r.memory->limit, 67108864);
  EXPECT_EQ(r.memory->swap, 134217728);
  EXPECT_FALSE(r.memory->reservation);
  EXPECT_EQ(r.cpu->shares, 512u);
  EXPECT_EQ(r.cpu->quota, 50000);
  EXPECT_EQ(r.cpu->period, 100000u);
  EXPECT_EQ(r.pids->limit, 50);
  ASSERT_EQ(r.devices.size(), 1u);
  EXPECT_FALSE(r.devices[0].allow);
  EXPECT_EQ(r.devices[0].access, "rwm");
  EXPECT_FALSE(r.devices[0].major);
}

TEST(EngineConfigs, DockerPrestartHookAndMemory) {
  Spec s = load("docker-run-p-memory-pids.config.json");
  ASSERT_TRUE(s.hooks);
  ASSERT_EQ(s.hooks->prestart.size(), 1u);
  EXPECT_EQ(s.hooks->prestart[0].path.rfind("/proc/", 0), 0u);
  EXPECT_EQ(s.hooks->prestart[0].args.at(0), "libnetwork-setkey");
  EXPECT_FALSE(s.hooks->prestart[0].timeout);
  const auto& mem = *s.linux_->resources->memory;
  EXPECT_EQ(mem.limit, 67108864);
  EXPECT_EQ(mem.disableOOMKiller, false);
  EXPECT_EQ(s.linux_->resources->pids->limit, 50);
  EXPECT_EQ(s.linux_->sysctl.at("net.ipv4.ip_unprivileged_port_start"), "0");
  EXPECT_EQ(s.process->oomScoreAdj, 0);
  EXPECT_EQ(s.process->rlimits.at(0).type, "RLIMIT_NOFILE");
  EXPECT_EQ(s.process->rlimits.at(0).hard, 20000u);
}

TEST(EngineConfigs, CtrRelativeRootAndDeviceRules) {
  Spec s = load("ctr-run-true.config.json");
  EXPECT_EQ(s.root->path, "rootfs");
  EXPECT_EQ(s.linux_->cgroupsPath, "/engines/t1");
  const auto& devs = s.linux_->resources->devices;
  ASSERT_GE(devs.size(), 2u);
  EXPECT_EQ(devs[1].type, "c");
  EXPECT_EQ(devs[1].major, 1);
  EXPECT_EQ(devs[1].minor, 3);
  // {"type":"c","major":136} (all pts): minor absent means any.
  bool pts = false;
  for (const auto& d : devs) {
    if (d.major == 136) {
      pts = true;
      EXPECT_FALSE(d.minor);
    }
  }
  EXPECT_TRUE(pts);
  EXPECT_EQ(s.linux_->resources->cpu->shares, 1024u);
}

TEST(EngineConfigs, ExecProcessValues) {
  std::string path = (kDir / "docker-exec-it.process.json").string();
  Process p = parse_process(linux_::read_file(path), path);
  EXPECT_TRUE(p.terminal);
  EXPECT_EQ(p.args, std::vector<std::string>{"sh"});
  EXPECT_EQ(p.user.additionalGids, std::vector<uint32_t>{0});
  ASSERT_TRUE(p.capabilities);
  EXPECT_EQ(p.capabilities->bounding.size(), 14u);
}

// podman writes the device's whole st_mode, type bits included; runc takes it.
TEST(EngineConfigs, PodmanDeviceFileModeKeepsTheTypeBits) {
  Spec s = load("podman-run-device-null.config.json");
  ASSERT_EQ(s.linux_->devices.size(), 1u);
  const auto& d = s.linux_->devices[0];
  EXPECT_EQ(d.path, "/dev/xnull");
  EXPECT_EQ(d.fileMode, 020666u);  // S_IFCHR | 0666 = 8630
  Spec p = load("podman-run-privileged.config.json");
  EXPECT_GT(p.linux_->devices.size(), 5u);
  EXPECT_TRUE(p.linux_->maskedPaths.empty());
  EXPECT_TRUE(p.linux_->readonlyPaths.empty());
}

TEST(EngineConfigs, PodmanUlimitMinusOneIsUnlimited) {
  Spec s = load("podman-run-ulimit.config.json");
  const auto& r = s.process->rlimits;
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].soft, 512u);
  EXPECT_EQ(r[1].type, "RLIMIT_NPROC");
  EXPECT_EQ(r[1].hard, UINT64_MAX);
  EXPECT_EQ(r[2].soft, UINT64_MAX);
}

TEST(EngineConfigs, PodmanSecurityOptAndSysctl) {
  Spec s = load("podman-run-security-opt.config.json");
  EXPECT_TRUE(s.process->noNewPrivileges);
  EXPECT_FALSE(s.linux_->seccomp);
  EXPECT_EQ(s.linux_->maskedPaths.back(), "/etc/hostname");
  Spec t = load("podman-run-sysctl.config.json");
  EXPECT_EQ(t.linux_->sysctl.at("net.core.somaxconn"), "1024");
  EXPECT_EQ(t.linux_->sysctl.size(), 3u);
}

}  // namespace
}  // namespace hull::spec
