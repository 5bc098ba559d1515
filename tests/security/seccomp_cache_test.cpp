// The seccomp cache: what the key covers, the entry's checks, and cached_compile_seccomp
// against a counting compiler in a scratch cache root (warnings read from a --log sink).
#include "security/seccomp_cache.hpp"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "support/error_of.hpp"

namespace hull::security {
namespace {

using ::testing::HasSubstr;

spec::LinuxSeccomp profile() {
  spec::LinuxSeccomp s;
  s.defaultAction = "SCMP_ACT_ERRNO";
  s.defaultErrnoRet = 38;
  s.architectures = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"};
  s.flags = {"SECCOMP_FILTER_FLAG_LOG"};
  spec::LinuxSyscall allow;
  allow.names = {"read", "write", "exit_group", "not_a_syscall_hull"};
  allow.action = "SCMP_ACT_ALLOW";
  spec::LinuxSyscall kill;
  kill.names = {"kill"};
  kill.action = "SCMP_ACT_ERRNO";
  kill.errnoRet = 1;
  kill.args.push_back({1, 10, 0, "SCMP_CMP_EQ"});
  s.syscalls = {allow, kill};
  return s;
}

TEST(SeccompCacheKey, EverySemanticFieldChangesItListenerFieldsDoNot) {
  const SeccompKey base = seccomp_cache_key(profile());
  EXPECT_EQ(seccomp_cache_key(profile()), base);
  auto differs = [&](auto edit) {
    spec::LinuxSeccomp s = profile();
    edit(s);
    return seccomp_cache_key(s) != base;
  };
  EXPECT_TRUE(differs([](auto& s) { s.defaultAction = "SCMP_ACT_KILL"; }));
  EXPECT_TRUE(differs([](auto& s) { s.defaultErrnoRet = 1; }));
  EXPECT_TRUE(differs([](auto& s) { s.defaultErrnoRet.reset(); }));
  EXPECT_TRUE(differs([](auto& s) { s.architectures.pop_back(); }));
  EXPECT_TRUE(differs([](auto& s) { s.flags.clear(); }));
  EXPECT_TRUE(differs([](auto& s) { s.syscalls[0].names.push_back("open"); }));
  EXPECT_TRUE(differs([](auto& s) { s.syscalls[1].action = "SCMP_ACT_LOG"; }));
  EXPECT_TRUE(differs([](auto& s) { s.syscalls[1].errnoRet = 2; }));
  EXPECT_TRUE(differs([](auto& s) { s.syscalls[1].args[0].index = 2; }));
  EXPECT_TRUE(differs([](auto& s) { s.syscalls[1].args[0].value = 12; }));
  EXPECT_TRUE(differs([](auto& s) { s.syscalls[1].args[0].valueTwo = 1; }));
  EXPECT_TRUE(differs([](auto& s) { s.syscalls[1].args[0].op = "SCMP_CMP_NE"; }));
  EXPECT_TRUE(differs([](auto& s) { s.syscalls.pop_back(); }));
  // Text moved between neighbouring values does not collide (every value is delimited).
  spec::LinuxSeccomp ab_c = profile(), a_bc = profile();
  ab_c.syscalls[0].names = {"ab", "c"};
  a_bc.syscalls[0].names = {"a", "bc"};
  EXPECT_NE(seccomp_cache_key(ab_c), seccomp_cache_key(a_bc));
  EXPECT_FALSE(differs([](auto& s) {
    s.listenerPath = "/run/agent.sock";
    s.listenerMetadata = "x";
  }));
  EXPECT_EQ(linux_::hex(base).size(), 64u);
}

SeccompProgram sample_program() {
  SeccompProgram p;
  p.bpf = {{6, 0, 0, 0x7fff0000}, {6, 0, 0, 0x50026}};
  p.flags = SECCOMP_FILTER_FLAG_LOG;
  return p;
}

std::string decode_error(const std::string& bytes, const SeccompKey& key) {
  std::vector<std::string> notes;
  return hull::test::error_of([&] { decode_seccomp_entry(bytes, key, notes); });
}

TEST(SeccompCacheEntry, RoundTripsTheProgramAndTheNotes) {
  SeccompKey key = seccomp_cache_key(profile());
  std::string bytes = encode_seccomp_entry(key, sample_program(), {"one", "two"});
  std::vector<std::string> notes;
  SeccompProgram p = decode_seccomp_entry(bytes, key, notes);
  ASSERT_EQ(p.bpf.size(), 2u);
  EXPECT_EQ(std::memcmp(p.bpf.data(), sample_program().bpf.data(), 16), 0);
  EXPECT_EQ(p.flags, static_cast<unsigned>(SECCOMP_FILTER_FLAG_LOG));
  EXPECT_FALSE(p.notify);
  EXPECT_EQ(notes, (std::vector<std::string>{"one", "two"}));
}

TEST(SeccompCacheEntry, EveryDamageIsRefusedSayingWhat) {
  SeccompKey key = seccomp_cache_key(profile());
  const std::string good = encode_seccomp_entry(key, sample_program(), {"note"});
  ASSERT_EQ(decode_error(good, key), "");
  EXPECT_THAT(decode_error(good.substr(0, 40), key), HasSubstr("truncated (40 bytes)"));
  EXPECT_THAT(decode_error(good.substr(0, good.size() - 1), key),
              HasSubstr("bytes where the header says"));
  EXPECT_THAT(decode_error(good + "x", key), HasSubstr("bytes where the header says"));
  // Every single flipped byte is caught by one check or another.
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x20);
    EXPECT_NE(decode_error(bad, key), "") << "byte " << i;
  }
  std::string bad = good;
  bad[0] = 'X';
  EXPECT_THAT(decode_error(bad, key), HasSubstr("not a cache entry"));
  bad = good;
  bad[8] = 2;
  EXPECT_THAT(decode_error(bad, key), HasSubstr("format 2, not 1"));
  bad = good;
  bad[70] ^= 1;  // inside the program
  EXPECT_THAT(decode_error(bad, key), HasSubstr("digest mismatch"));
  SeccompKey other = key;
  other[0] ^= 1;
  EXPECT_THAT(decode_error(good, other), HasSubstr("made for another key"));
  SeccompProgram empty = sample_program();
  empty.bpf.clear();
  EXPECT_THAT(decode_error(encode_seccomp_entry(key, empty, {}), key),
              HasSubstr("0 instructions, not 1 to 4096"));
  SeccompProgram odd = sample_program();
  odd.notify = true;  // without NEW_LISTENER
  EXPECT_THAT(decode_error(encode_seccomp_entry(key, odd, {}), key),
              HasSubstr("flags that compile_seccomp never makes"));
}

// A scratch state root; warnings go to a memfd standing in for --log.
class SeccompCacheDir : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hull-seccomp-cache.XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    log_ = ::memfd_create("warnings", MFD_CLOEXEC);
    saved_sink_ = g_log_sink;
    g_log_sink.fd = log_;
    g_log_sink.format = LogFormat::kText;
  }
  void TearDown() override {
    g_log_sink = saved_sink_;
    ::close(log_);
    std::string cmd = "rm -rf '" + root_ + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  std::string warnings() {
    std::string out(static_cast<size_t>(::lseek(log_, 0, SEEK_END)), '\0');
    EXPECT_EQ(::pread(log_, out.data(), out.size(), 0), static_cast<ssize_t>(out.size()));
    EXPECT_EQ(::ftruncate(log_, 0), 0);
    return out;
  }
  SeccompProgram get(const spec::LinuxSeccomp& s, std::vector<std::string>* debug = nullptr) {
    return cached_compile_seccomp(
        s, "config.json", cache_root(),
        [&](const std::string& l) {
          if (debug) debug->push_back(l);
        },
        [&](const spec::LinuxSeccomp& c, const std::string& src, const DebugSink& d) {
          ++compiles_;
          return compile_seccomp(c, src, d);
        });
  }
  std::string cache_root() const { return root_ + "/state/~cache~"; }
  std::string entry(const spec::LinuxSeccomp& s) const {
    return cache_root() + "/seccomp/" + linux_::hex(seccomp_cache_key(s));
  }
  static std::string slurp(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }
  static bool same(const SeccompProgram& a, const SeccompProgram& b) {
    return a.flags == b.flags && a.notify == b.notify && a.bpf.size() == b.bpf.size() &&
           std::memcmp(a.bpf.data(), b.bpf.data(), a.bpf.size() * sizeof(sock_filter)) == 0;
  }

  std::string root_;
  int log_ = -1;
  LogSink saved_sink_;
  int compiles_ = 0;
};

TEST_F(SeccompCacheDir, TheSecondCallDoesNotCompileAndReplaysTheDebugLines) {
  std::vector<std::string> first, second;
  SeccompProgram a = get(profile(), &first);
  EXPECT_EQ(compiles_, 1);
  SeccompProgram b = get(profile(), &second);
  EXPECT_EQ(compiles_, 1);
  EXPECT_TRUE(same(a, b));
  EXPECT_TRUE(same(a, compile_seccomp(profile(), "config.json")));
  ASSERT_EQ(first.size(), 2u);
  EXPECT_THAT(first[0], HasSubstr("not_a_syscall_hull"));
  EXPECT_THAT(first[1], HasSubstr("compiled and cached"));
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0], first[0]);
  EXPECT_THAT(second[1], HasSubstr("read from the cache"));
  EXPECT_EQ(warnings(), "");
  struct stat st;
  ASSERT_EQ(::stat(entry(profile()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(::stat(cache_root().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(::stat((cache_root() + "/seccomp").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  // Another profile is another entry.
  spec::LinuxSeccomp other = profile();
  other.defaultErrnoRet = 1;
  get(other);
  EXPECT_EQ(compiles_, 2);
}

TEST_F(SeccompCacheDir, ADamagedEntryIsWarnedAboutRecompiledAndRewritten) {
  SeccompProgram good = get(profile());
  const std::string path = entry(profile());
  const std::string bytes = slurp(path);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(100);
    f.put('\x55');
  }
  SeccompProgram again = get(profile());
  EXPECT_EQ(compiles_, 2);
  EXPECT_TRUE(same(good, again));
  std::string w = warnings();
  EXPECT_THAT(w, HasSubstr("level=warning"));
  EXPECT_THAT(w, HasSubstr("seccomp cache: " + path + ": digest mismatch"));
  EXPECT_EQ(slurp(path), bytes);
  get(profile());
  EXPECT_EQ(compiles_, 2);
}

TEST_F(SeccompCacheDir, ASymlinkAtTheEntryIsNotFollowedAndIsReplaced) {
  get(profile());
  const std::string path = entry(profile());
  const std::string target = root_ + "/elsewhere";
  ASSERT_EQ(::rename(path.c_str(), target.c_str()), 0);
  ASSERT_EQ(::symlink(target.c_str(), path.c_str()), 0);
  get(profile());
  EXPECT_EQ(compiles_, 2);
  EXPECT_THAT(warnings(), HasSubstr(path + ": a symlink, not followed"));
  struct stat st;
  ASSERT_EQ(::lstat(path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));
}

TEST_F(SeccompCacheDir, AnEntryOthersMayWriteIsNotUsed) {
  get(profile());
  const std::string path = entry(profile());
  ASSERT_EQ(::chmod(path.c_str(), 0620), 0);
  get(profile());
  EXPECT_EQ(compiles_, 2);
  EXPECT_THAT(warnings(), HasSubstr(path + ": mode 0620 lets others in"));
  if (::geteuid() == 0) {
    ASSERT_EQ(::chown(path.c_str(), 4242, 0), 0);
    get(profile());
    EXPECT_EQ(compiles_, 3);
    EXPECT_THAT(warnings(), HasSubstr(path + ": owned by uid 4242, not by uid 0"));
  }
}

TEST_F(SeccompCacheDir, AnOpenDirectoryIsNeitherReadNorWritten) {
  get(profile());
  const std::string dir = cache_root() + "/seccomp";
  ASSERT_EQ(::chmod(dir.c_str(), 0755), 0);
  ASSERT_EQ(::unlink(entry(profile()).c_str()), 0);
  get(profile());
  get(profile());
  EXPECT_EQ(compiles_, 3);
  EXPECT_THAT(warnings(), HasSubstr(dir + ": mode 0755 lets others in"));
  EXPECT_NE(::access(entry(profile()).c_str(), F_OK), 0);
}

TEST_F(SeccompCacheDir, ConfigErrorsAreThrownAndNothingIsWritten) {
  spec::LinuxSeccomp bad = profile();
  bad.syscalls[1].action = "SCMP_ACT_EXPLODE";
  try {
    get(bad);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.message(), HasSubstr("config.json: /linux/seccomp/syscalls/1/action"));
  }
  EXPECT_NE(::access(entry(bad).c_str(), F_OK), 0);
  EXPECT_EQ(warnings(), "");
}

TEST_F(SeccompCacheDir, AFullDirectoryIsEmptiedBeforeTheNextEntry) {
  get(profile());
  const std::string dir = cache_root() + "/seccomp";
  for (int i = 0; i < 300; ++i) {
    std::ofstream(dir + "/stale" + std::to_string(i)) << "x";
  }
  spec::LinuxSeccomp other = profile();
  other.defaultErrnoRet = 1;
  get(other);
  int left = 0;
  for (int i = 0; i < 300; ++i)
    left += ::access((dir + "/stale" + std::to_string(i)).c_str(), F_OK) == 0;
  EXPECT_EQ(left, 0);
  EXPECT_EQ(::access(entry(other).c_str(), F_OK), 0);
  // Below the limit nothing goes.
  get(profile());
  EXPECT_EQ(::access(entry(other).c_str(), F_OK), 0);
}

}  // namespace
}  // namespace hull::security
