#include "security/seccomp_cache.hpp"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <string_view>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/bounded_read.hpp"
#include "linux/dir_names.hpp"
#include "linux/fd.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"
#include "linux/sha256.hpp"

namespace hull::security {
namespace {

// Bumped whenever the entry layout or the meaning of the key changes.
constexpr uint32_t kFormat = 1;
constexpr char kMagic[8] = {'H', 'U', 'L', 'L', 'S', 'C', 'M', 'P'};
constexpr size_t kDigestSize = sizeof(linux_::Sha256Digest);
constexpr size_t kMaxNotes = 64 * 1024;
// More entries than any host has profiles; past it the directory is emptied before a write,
// so a stream of one-off profiles cannot fill the (usually tmpfs) state root.
constexpr size_t kMaxEntries = 256;
constexpr unsigned kKnownFlags = SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_SPEC_ALLOW |
                                 SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV |
                                 SECCOMP_FILTER_FLAG_NEW_LISTENER;

struct Header {
  char magic[8];
  uint32_t format;
  uint32_t flags;  // SECCOMP_FILTER_FLAG_* for seccomp(2)
  uint32_t notify;
  uint32_t insns;
  uint32_t notes_size;
  uint32_t reserved;
  uint8_t key[32];
};
static_assert(sizeof(Header) == 64);
constexpr size_t kMaxEntrySize =
    sizeof(Header) + BPF_MAXINSNS * sizeof(sock_filter) + kMaxNotes + kDigestSize;

using Digest = linux_::Sha256Digest;
using linux_::sha256;

// The canonical text: every value length-prefixed, so no two sections write the same bytes.
class Canon {
 public:
  void str(std::string_view s) {
    num(s.size());
    out_.append(s);
  }
  void num(uint64_t v) {
    out_.append(std::to_string(v));
    out_.push_back(';');
  }
  void opt(const std::optional<uint32_t>& v) {
    if (!v) {
      out_.push_back('-');
      return;
    }
    out_.push_back('+');
    num(*v);
  }
  void strs(const std::vector<std::string>& v) {
    num(v.size());
    for (const auto& s : v) str(s);
  }
  std::string& text() { return out_; }

 private:
  std::string out_;
};

void append(std::string& out, const void* p, size_t n) {
  out.append(static_cast<const char*>(p), n);
}

std::string key_path(const std::string& dir, const SeccompKey& key) {
  return dir + "/" + linux_::hex(key);
}

std::string octal(unsigned mode) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04o", mode & 07777);
  return buf;
}

// Owned by the caller, nothing for group and others: only then may what is in it be trusted.
void check_private(const struct stat& st, const std::string& shown) {
  if (st.st_uid != ::geteuid()) {
    throw Error(shown + ": owned by uid " + std::to_string(st.st_uid) + ", not by uid " +
                std::to_string(::geteuid()));
  }
  if (st.st_mode & 077) throw Error(shown + ": mode " + octal(st.st_mode) + " lets others in");
}

// The directory `name` in `at`, made 0700 when missing and `create`; empty when missing and
// not `create`. Never through a symlink.
linux_::Fd open_private_dir(int at, const std::string& name, const std::string& shown,
                            bool create) {
  const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
  linux_::Fd fd(linux_::kernel().openat(at, name.c_str(), flags, 0));
  if (!fd && errno == ENOENT) {
    if (!create) return {};
    if (linux_::kernel().mkdirat(at, name.c_str(), 0700) < 0 && errno != EEXIST) {
      throw Error::sys("creating " + shown);
    }
    fd = linux_::Fd(linux_::kernel().openat(at, name.c_str(), flags, 0));
  }
  if (!fd && (errno == ELOOP || errno == ENOTDIR)) {
    throw Error(shown + ": not a directory (a symlink or another file stands there)");
  }
  if (!fd) throw Error::sys("opening " + shown);
  struct stat st;
  if (::fstat(fd.get(), &st) < 0) throw Error::sys("examining " + shown);
  check_private(st, shown);
  return fd;
}

// cache_root/seccomp, or empty when it is missing and not `create`.
linux_::Fd open_cache(const std::string& cache_root, const std::string& dir, bool create) {
  auto slash = cache_root.find_last_of('/');
  std::string parent = slash == std::string::npos ? "." : cache_root.substr(0, slash);
  std::string base = slash == std::string::npos ? cache_root : cache_root.substr(slash + 1);
  if (parent.empty()) parent = "/";
  if (create) linux_::mkdir_p(parent, 0700);
  linux_::Fd pfd(
      linux_::kernel().openat(AT_FDCWD, parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
  if (!pfd && errno == ENOENT && !create) return {};
  if (!pfd) throw Error::sys("opening " + parent);
  linux_::Fd top = open_private_dir(pfd.get(), base, cache_root, create);
  if (!top) return {};
  return open_private_dir(top.get(), "seccomp", dir, create);
}

// The entry's bytes; nullopt when there is none. Throws when something unfit stands there.
std::optional<std::string> read_entry(int dirfd, const std::string& name,
                                      const std::string& shown) {
  linux_::Fd fd(linux_::kernel().openat(
      dirfd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0));
  if (!fd && errno == ENOENT) return std::nullopt;
  if (!fd && errno == ELOOP) throw Error(shown + ": a symlink, not followed");
  if (!fd) throw Error::sys("opening " + shown);
  struct stat st;
  if (::fstat(fd.get(), &st) < 0) throw Error::sys("examining " + shown);
  if (!S_ISREG(st.st_mode)) throw Error(shown + ": not a regular file");
  check_private(st, shown);
  if (st.st_nlink != 1) {
    throw Error(shown + ": " + std::to_string(st.st_nlink) + " links, not one");
  }
  return linux_::read_fd_bounded(fd.get(), kMaxEntrySize, shown);
}

// Empties the directory when it holds kMaxEntries or more names.
void keep_bounded(int dirfd, const std::string& shown) {
  std::vector<std::string> names;
  for (linux_::DirNames d(dirfd, shown); d.next();) names.emplace_back(d.name());
  if (names.size() < kMaxEntries) return;
  for (const auto& n : names) linux_::kernel().unlinkat(dirfd, n.c_str(), 0);
}

}  // namespace

SeccompKey seccomp_cache_key(const spec::LinuxSeccomp& s) {
  Canon c;
  c.str("hull seccomp cache");
  c.num(kFormat);
  c.num(seccomp_arch_native());
  const scmp_version* v = seccomp_version();
  c.num(v ? v->major : 0);
  c.num(v ? v->minor : 0);
  c.num(v ? v->micro : 0);
  // What libseccomp asks of the kernel (the actions it supports) shapes what it accepts.
  struct utsname u;
  c.str(::uname(&u) == 0 ? u.release : "");
  c.str(s.defaultAction);
  c.opt(s.defaultErrnoRet);
  c.strs(s.architectures);
  c.strs(s.flags);
  c.num(s.syscalls.size());
  for (const auto& sc : s.syscalls) {
    c.strs(sc.names);
    c.str(sc.action);
    c.opt(sc.errnoRet);
    c.num(sc.args.size());
    for (const auto& a : sc.args) {
      c.num(a.index);
      c.num(a.value);
      c.num(a.valueTwo);
      c.str(a.op);
    }
  }
  return sha256(c.text());
}

std::string encode_seccomp_entry(const SeccompKey& key, const SeccompProgram& program,
                                 const std::vector<std::string>& notes) {
  std::string note_text;
  for (const auto& n : notes) {
    note_text.append(n);
    note_text.push_back('\n');
  }
  if (note_text.size() > kMaxNotes) note_text.clear();
  Header h{};
  std::memcpy(h.magic, kMagic, sizeof(kMagic));
  h.format = kFormat;
  h.flags = program.flags;
  h.notify = program.notify ? 1 : 0;
  h.insns = static_cast<uint32_t>(program.bpf.size());
  h.notes_size = static_cast<uint32_t>(note_text.size());
  std::memcpy(h.key, key.data(), key.size());
  std::string out;
  append(out, &h, sizeof(h));
  append(out, program.bpf.data(), program.bpf.size() * sizeof(sock_filter));
  out.append(note_text);
  Digest d = sha256(out);
  append(out, d.data(), d.size());
  return out;
}

SeccompProgram decode_seccomp_entry(const std::string& bytes, const SeccompKey& key,
                                    std::vector<std::string>& notes) {
  if (bytes.size() < sizeof(Header) + kDigestSize) {
    throw Error("truncated (" + std::to_string(bytes.size()) + " bytes)");
  }
  Header h;
  std::memcpy(&h, bytes.data(), sizeof(h));
  if (std::memcmp(h.magic, kMagic, sizeof(kMagic)) != 0) throw Error("not a cache entry");
  if (h.format != kFormat)
    throw Error("format " + std::to_string(h.format) + ", not " + std::to_string(kFormat));
  if (std::memcmp(h.key, key.data(), key.size()) != 0) throw Error("made for another key");
  if (h.insns == 0 || h.insns > BPF_MAXINSNS) {
    throw Error(std::to_string(h.insns) + " instructions, not 1 to " +
                std::to_string(BPF_MAXINSNS));
  }
  if (h.notes_size > kMaxNotes) throw Error("notes too long");
  size_t bpf_bytes = size_t{h.insns} * sizeof(sock_filter);
  size_t want = sizeof(Header) + bpf_bytes + h.notes_size + kDigestSize;
  if (bytes.size() != want) {
    throw Error(std::to_string(bytes.size()) + " bytes where the header says " +
                std::to_string(want));
  }
  Digest d = sha256(std::string_view(bytes).substr(0, want - kDigestSize));
  if (std::memcmp(d.data(), bytes.data() + want - kDigestSize, kDigestSize) != 0) {
    throw Error("digest mismatch");
  }
  if (h.notify > 1 || (h.flags & ~kKnownFlags) ||
      bool(h.flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) != bool(h.notify)) {
    throw Error("flags that compile_seccomp never makes");
  }
  SeccompProgram p;
  p.flags = h.flags;
  p.notify = h.notify == 1;
  p.bpf.resize(h.insns);
  std::memcpy(p.bpf.data(), bytes.data() + sizeof(Header), bpf_bytes);
  notes.clear();
  std::string_view text(bytes.data() + sizeof(Header) + bpf_bytes, h.notes_size);
  while (!text.empty()) {
    size_t nl = text.find('\n');
    notes.emplace_back(text.substr(0, nl));
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return p;
}

SeccompProgram cached_compile_seccomp(const spec::LinuxSeccomp& s, const std::string& source,
                                      const std::string& cache_root, const DebugSink& debug,
                                      const SeccompCompiler& compile) {
  const std::string dir = cache_root + "/seccomp";
  SeccompKey key;
  bool usable = true;
  try {
    key = seccomp_cache_key(s);
  } catch (const Error& e) {
    warn("seccomp cache: " + e.message() + "; compiling the filter");
    usable = false;
  }
  const std::string path = usable ? key_path(dir, key) : dir;
  linux_::Fd dirfd;
  // Whether the directory may take the entry: not when it is unfit itself.
  bool writable = false;
  if (usable) {
    try {
      dirfd = open_cache(cache_root, dir, false);
      writable = true;
      std::optional<std::string> bytes;
      if (dirfd) bytes = read_entry(dirfd.get(), linux_::hex(key), path);
      if (bytes) {
        std::vector<std::string> notes;
        SeccompProgram p =
            with_context(path, [&] { return decode_seccomp_entry(*bytes, key, notes); });
        if (debug) {
          for (const auto& n : notes) debug(n);
          debug("seccomp: filter of " + std::to_string(p.bpf.size()) +
                " instructions read from the cache (" + path + "), not compiled");
        }
        return p;
      }
    } catch (const Error& e) {
      warn("seccomp cache: " + e.message() + "; not used, compiling the filter");
    }
  }

  std::vector<std::string> notes;
  SeccompProgram p = compile(s, source, [&](const std::string& line) {
    notes.push_back(line);
    if (debug) debug(line);
  });
  if (!writable) return p;
  try {
    if (!dirfd) dirfd = open_cache(cache_root, dir, true);
    keep_bounded(dirfd.get(), dir);
    linux_::write_file_atomic_at(dirfd.get(), linux_::hex(key), encode_seccomp_entry(key, p, notes),
                                 0600, path);
    if (debug) {
      debug("seccomp: filter of " + std::to_string(p.bpf.size()) +
            " instructions compiled and cached (" + path + ")");
    }
  } catch (const Error& e) {
    warn("seccomp cache: " + e.message() + "; the filter is not cached");
  }
  return p;
}

}  // namespace hull::security
