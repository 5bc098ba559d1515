// The one id-map rendering, and the kernel taking it as a user namespace's map.
#include "spec/id_maps.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "linux/child.hpp"
#include "linux/fd.hpp"
#include "linux/syscalls.hpp"

namespace hull::spec {
namespace {

const std::vector<LinuxIDMapping> kMaps = {{0, 100000, 1}, {1, 200000, 65535}, {65536, 0, 1}};

TEST(IdMaps, OneLinePerEntryInOrder) {
  EXPECT_EQ(id_map_text(kMaps), "0 100000 1\n1 200000 65535\n65536 0 1\n");
  EXPECT_EQ(id_map_text({}), "");
  EXPECT_EQ(id_map_text({{4294967294u, 4294967294u, 1}}), "4294967294 4294967294 1\n");
}

std::vector<LinuxIDMapping> parse(const std::string& text) {
  std::vector<LinuxIDMapping> out;
  std::istringstream in(text);
  LinuxIDMapping m;
  while (in >> m.containerID >> m.hostID >> m.size) out.push_back(m);
  return out;
}

// Written in one go to a new user namespace's uid_map and gid_map, the text reads back as the
// same entries.
TEST(IdMaps, KernelTakesTheTextAsTheNamespacesMap) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to map other ids";
  int fds[2];
  ASSERT_EQ(::pipe2(fds, O_CLOEXEC), 0);
  linux_::Fd rd(fds[0]), wr(fds[1]);
  linux_::CloneArgs ca;
  ca.flags = CLONE_NEWUSER;
  ca.want_pidfd = false;
  auto child = linux_::clone3(ca);
  if (child.pid == 0) {
    linux_::child_main(nullptr, [&] {
      wr.reset();
      char c;
      (void)!::read(rd.get(), &c, 1);  // until the parent has read the maps back
    });
  }
  rd.reset();
  // Releases and reaps the child however the test ends.
  struct Reaper {
    pid_t pid;
    linux_::Fd& release;
    ~Reaper() {
      release.reset();
      ::waitpid(pid, nullptr, 0);
    }
  } reaper{child.pid, wr};
  std::string base = "/proc/" + std::to_string(child.pid);
  std::string text = id_map_text(kMaps);
  for (const char* file : {"/uid_map", "/gid_map"}) {
    linux_::Fd fd(::open((base + file).c_str(), O_WRONLY | O_CLOEXEC));
    ASSERT_TRUE(fd) << file;
    EXPECT_EQ(::write(fd.get(), text.data(), text.size()), static_cast<ssize_t>(text.size()))
        << file << ": " << std::strerror(errno);
    std::ifstream in(base + file);
    std::stringstream back;
    back << in.rdbuf();
    auto read_back = parse(back.str());
    ASSERT_EQ(read_back.size(), kMaps.size()) << back.str();
    for (size_t i = 0; i < kMaps.size(); ++i) {
      EXPECT_EQ(read_back[i].containerID, kMaps[i].containerID);
      EXPECT_EQ(read_back[i].hostID, kMaps[i].hostID);
      EXPECT_EQ(read_back[i].size, kMaps[i].size);
    }
  }
}

}  // namespace
}  // namespace hull::spec
