// Which sysctl keys a container may set: only those of a namespace it has of its own.
#include "process/sysctl.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "hull/error.hpp"
#include "support/error_of.hpp"

namespace hull::process {
namespace {

using ::testing::HasSubstr;

spec::Spec with(std::vector<spec::LinuxNamespace> nss, const std::string& key) {
  spec::Spec s;
  s.linux_.emplace();
  s.linux_->namespaces = std::move(nss);
  s.linux_->sysctl[key] = "1";
  return s;
}

std::string error_of(const spec::Spec& s) {
  return hull::test::error_of([&] { check_sysctls(s); });
}

TEST(Sysctl, NamespacedKeysWithTheirNamespaceAreAllowed) {
  EXPECT_EQ(error_of(with({{"network", ""}}, "net.ipv4.ip_forward")), "");
  EXPECT_EQ(error_of(with({{"ipc", ""}}, "kernel.shmmax")), "");
  EXPECT_EQ(error_of(with({{"ipc", ""}}, "kernel.sem")), "");
  EXPECT_EQ(error_of(with({{"ipc", ""}}, "fs.mqueue.msg_max")), "");
  EXPECT_EQ(error_of(with({{"uts", ""}}, "kernel.domainname")), "");
}

TEST(Sysctl, HostWideKeysAreRefusedNamingTheKey) {
  EXPECT_THAT(error_of(with({{"network", ""}}, "vm.swappiness")),
              HasSubstr("/linux/sysctl/vm.swappiness: not a namespaced sysctl"));
  EXPECT_THAT(error_of(with({{"ipc", ""}}, "kernel.panic")), HasSubstr("kernel.panic"));
}

TEST(Sysctl, KeyWithoutItsNamespaceIsRefused) {
  EXPECT_THAT(error_of(with({{"ipc", ""}}, "net.core.somaxconn")), HasSubstr("network"));
  EXPECT_THAT(error_of(with({{"network", ""}}, "kernel.msgmax")), HasSubstr("ipc"));
}

TEST(Sysctl, TheHostsOwnNamespaceJoinedByPathIsRefused) {
  EXPECT_THAT(error_of(with({{"network", "/proc/self/ns/net"}}, "net.ipv4.ip_forward")),
              HasSubstr("host"));
}

TEST(Sysctl, MalformedKeysAreRefused) {
  EXPECT_THAT(error_of(with({{"network", ""}}, "net/ipv4/ip_forward")),
              HasSubstr("not a sysctl name"));
  EXPECT_THAT(error_of(with({{"network", ""}}, "net..x")), HasSubstr("not a sysctl name"));
}

}  // namespace
}  // namespace hull::process
