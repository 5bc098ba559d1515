// The sysctl classes against the kernel: each key of the table is set in a new namespace of
// the table's type, and the host's value stays.
#include "spec/sysctls.hpp"

#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "linux/child.hpp"
#include "linux/syscalls.hpp"

namespace hull::spec {
namespace {

TEST(SysctlClasses, EachKeyBelongsToItsNamespace) {
  const std::pair<const char*, int> cases[] = {
      {"net.ipv4.ip_forward", CLONE_NEWNET},    {"net.core.somaxconn", CLONE_NEWNET},
      {"kernel.msgmax", CLONE_NEWIPC},          {"kernel.sem", CLONE_NEWIPC},
      {"kernel.shm_rmid_forced", CLONE_NEWIPC}, {"fs.mqueue.msg_max", CLONE_NEWIPC},
      {"kernel.hostname", CLONE_NEWUTS},        {"kernel.domainname", CLONE_NEWUTS},
  };
  for (const auto& [key, flag] : cases) {
    SysctlClass c = sysctl_class(key);
    ASSERT_NE(c.ns, nullptr) << key;
    EXPECT_EQ(c.ns->clone_flag, flag) << key;
    EXPECT_FALSE(c.need.empty());
  }
}

// runc's list: the *_next_id keys (checkpoint/restore) and anything merely starting like an
// ipc key are host-wide here, as the writer has always treated them.
TEST(SysctlClasses, OtherKeysHaveNoNamespace) {
  for (const char* key : {"vm.swappiness", "kernel.pid_max", "kernel.msg_next_id", "kernel.semx",
                          "kernel.shmfoo", "kernel.hostnamex", "fs.mqueue", "net", "netx.a", ""}) {
    EXPECT_EQ(sysctl_class(key).ns, nullptr) << key;
  }
}

TEST(SysctlClasses, ListForErrorsNamesEveryRule) {
  std::string all = namespaced_sysctls();
  EXPECT_EQ(all.rfind("net.*, ", 0), 0u) << all;
  for (const char* part : {"fs.mqueue.*", "kernel.sem", "kernel.shm_rmid_forced", "kernel.hostname",
                           "kernel.domainname"}) {
    EXPECT_NE(all.find(part), std::string::npos) << part;
  }
}

std::string read_sysctl(const std::string& key) {
  std::string path = "/proc/sys/" + key;
  for (auto& c : path) c = c == '.' ? '/' : c;
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool write_sysctl(const std::string& key, const std::string& value) {
  std::string path = "/proc/sys/" + key;
  for (auto& c : path) c = c == '.' ? '/' : c;
  std::ofstream out(path);
  out << value;
  out.flush();
  return static_cast<bool>(out);
}

// The blank-separated words of a value (the kernel prints kernel.sem with tabs).
std::string words(const std::string& text) {
  std::istringstream in(text);
  std::string out, w;
  while (in >> w) out += (out.empty() ? "" : " ") + w;
  return out;
}

// A value unlike the current one: the first number one less (or 1 for 0), or a fixed name.
std::string other_value(const std::string& current) {
  std::istringstream in(current);
  unsigned long long first = 0;
  if (!(in >> first)) return current == "hull-sysctl-test\n" ? "hull-other" : "hull-sysctl-test";
  std::string rest;
  std::getline(in, rest);
  return std::to_string(first == 0 ? 1 : first - 1) + rest;
}

// Every whole key of the table plus one key under each prefix: written in a child cloned into
// a new namespace of the table's type, it reads back there and the host keeps its value.
TEST(SysctlClasses, KernelKeepsEachKeyInTheTablesNamespace) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root for new namespaces";
  for (const char* key :
       {"net.ipv4.ip_forward", "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
        "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
        "fs.mqueue.msg_max", "kernel.hostname", "kernel.domainname"}) {
    SysctlClass c = sysctl_class(key);
    ASSERT_NE(c.ns, nullptr) << key;
    std::string before = read_sysctl(key);
    ASSERT_FALSE(before.empty()) << key << " is not in /proc/sys on this kernel";
    std::string value = other_value(before);
    linux_::CloneArgs ca;
    ca.flags = static_cast<uint64_t>(c.ns->clone_flag);
    ca.want_pidfd = false;
    auto child = linux_::clone3(ca);
    if (child.pid == 0) {
      linux_::child_main(nullptr, [&] {
        if (!write_sysctl(key, value)) ::_exit(2);
        if (words(read_sysctl(key)) != words(value)) ::_exit(3);
      });
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child.pid, &status, 0), child.pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << key << ": the child could not set it in its own namespace (status " << status << ")";
    std::string after = read_sysctl(key);
    EXPECT_EQ(after, before) << key << " changed on the host: it is not in the " << c.ns->name
                             << " namespace";
    if (after != before) write_sysctl(key, before);
  }
}

}  // namespace
}  // namespace hull::spec
