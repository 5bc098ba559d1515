#include "security/seccomp.hpp"

#include <errno.h>
#include <linux/seccomp.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "hull/error.hpp"
#include "linux/kernel.hpp"

namespace hull::security {
namespace {

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

constexpr uint32_t kDefaultErrno = EPERM;

struct ActionName {
  std::string_view name;
  uint32_t base;
  bool takes_errno;  // errnoRet is the ERRNO value / the TRACE message
};

constexpr ActionName kActions[] = {
    {"SCMP_ACT_KILL", SCMP_ACT_KILL_THREAD, false},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD, false},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS, false},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP, false},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0), true},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0), true},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW, false},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG, false},
    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY, false},
};

struct OpName {
  std::string_view name;
  scmp_compare op;
};

constexpr OpName kOps[] = {
    {"SCMP_CMP_NE", SCMP_CMP_NE},
    {"SCMP_CMP_LT", SCMP_CMP_LT},
    {"SCMP_CMP_LE", SCMP_CMP_LE},
    {"SCMP_CMP_EQ", SCMP_CMP_EQ},
    {"SCMP_CMP_GE", SCMP_CMP_GE},
    {"SCMP_CMP_GT", SCMP_CMP_GT},
    {"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
};

struct FlagName {
  std::string_view name;
  unsigned flag;
};

constexpr FlagName kFlags[] = {
    {"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    {"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    {"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    {"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

uint32_t action(const std::string& name, const std::optional<uint32_t>& errno_ret,
                const std::string& where, const std::string& errno_where) {
  for (const auto& a : kActions) {
    if (a.name != name) continue;
    if (!a.takes_errno) {
      if (errno_ret) throw Error(errno_where + ": only SCMP_ACT_ERRNO and SCMP_ACT_TRACE take one");
      return a.base;
    }
    uint32_t value = errno_ret.value_or(kDefaultErrno);
    if (value > 0xffff) {
      throw Error(errno_where + ": " + std::to_string(value) + " does not fit in 16 bits");
    }
    return a.base | value;
  }
  throw Error(where + ": unknown action \"" + name + "\"");
}

uint32_t arch(const std::string& name, const std::string& where) {
  // libseccomp names architectures without the prefix and in lower case.
  std::string_view prefix = "SCMP_ARCH_";
  if (name.rfind(prefix, 0) == 0) {
    std::string short_name = name.substr(prefix.size());
    std::transform(short_name.begin(), short_name.end(), short_name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    uint32_t token = seccomp_arch_resolve_name(short_name.c_str());
    if (token != 0) return token;
  }
  throw Error(where + ": unknown architecture \"" + name + "\"");
}

scmp_compare op(const std::string& name, const std::string& where) {
  for (const auto& o : kOps) {
    if (o.name == name) return o.op;
  }
  throw Error(where + ": unknown operator \"" + name + "\"");
}

void check(int rc, const std::string& what) {
  if (rc < 0) throw Error::sys(what, -rc);
}

// libseccomp takes one comparison per argument in a rule; several on the same argument
// mean "any of them" (runc's reading), so each becomes a rule of its own.
void add_rules(void* ctx, uint32_t act, int nr, const std::vector<scmp_arg_cmp>& cmps,
               const std::string& where) {
  bool repeated = false;
  for (size_t i = 0; i < cmps.size(); ++i) {
    for (size_t j = 0; j < i; ++j) repeated = repeated || cmps[i].arg == cmps[j].arg;
  }
  if (!repeated) {
    check(seccomp_rule_add_array(ctx, act, nr, static_cast<unsigned>(cmps.size()), cmps.data()),
          where + ": adding the rule");
    return;
  }
  for (const auto& c : cmps) check(seccomp_rule_add_array(ctx, act, nr, 1, &c), where);
}

std::vector<sock_filter> export_bpf(void* ctx) {
  // Through the seam: a fault log's "hull-seccomp" shows that libseccomp compiled (the
  // cache's tests count on it).
  int fd = linux_::kernel().memfd_create("hull-seccomp", MFD_CLOEXEC);
  if (fd < 0) throw Error::sys("seccomp: memfd_create");
  linux_::Fd holder(fd);
  check(seccomp_export_bpf(ctx, fd), "seccomp: generating BPF");
  off_t size = ::lseek(fd, 0, SEEK_END);
  if (size < 0 || size % sizeof(sock_filter) != 0) throw Error("seccomp: odd BPF size");
  if (static_cast<size_t>(size) / sizeof(sock_filter) > BPF_MAXINSNS) {
    throw Error("seccomp: the filter has " + std::to_string(size / sizeof(sock_filter)) +
                " instructions, above the kernel's limit of " + std::to_string(BPF_MAXINSNS));
  }
  std::vector<sock_filter> out(static_cast<size_t>(size) / sizeof(sock_filter));
  if (::pread(fd, out.data(), static_cast<size_t>(size), 0) != size) {
    throw Error::sys("seccomp: reading BPF");
  }
  return out;
}

// The newest syscall a profile knows, per audit architecture. x32 shares x86_64's audit
// value and sets bit 30 in its numbers, so it is a second limit on the same architecture.
struct ArchLimit {
  uint32_t audit_arch = 0;
  std::optional<uint32_t> native, x32;
};

constexpr uint32_t kX32Bit = 0x40000000;

std::vector<ArchLimit> newest_syscalls(const spec::LinuxSeccomp& s, std::vector<uint32_t> arches) {
  std::vector<ArchLimit> out;
  for (uint32_t arch : arches) {
    bool x32 = arch == SCMP_ARCH_X32;
    uint32_t audit = x32 ? SCMP_ARCH_X86_64 : arch;
    auto at = std::find_if(out.begin(), out.end(),
                           [&](const ArchLimit& l) { return l.audit_arch == audit; });
    if (at == out.end()) at = out.insert(out.end(), ArchLimit{audit, {}, {}});
    std::optional<uint32_t>& limit = x32 ? at->x32 : at->native;
    for (const auto& sc : s.syscalls) {
      for (const auto& name : sc.names) {
        // Negative: a pseudo number for a call this architecture does not have.
        int nr = seccomp_syscall_resolve_name_arch(arch, name.c_str());
        if (nr < 0) continue;
        limit = std::max(limit.value_or(0), static_cast<uint32_t>(nr));
      }
    }
  }
  return out;
}

// runc's rule for syscalls a profile cannot know: a number above the newest one it names (on
// that architecture) gets ENOSYS rather than the default action. glibc falls back from a new
// call (clone3, faccessat2) to an old one only on ENOSYS, so an allow-list older than the
// image's libc would otherwise break it with EPERM. Runs ahead of libseccomp's program, which
// reloads what it needs.
std::vector<sock_filter> enosys_stub(const std::vector<ArchLimit>& limits) {
  enum Target : uint8_t { kNone, kNext, kEnosys, kMain, kX32 };
  struct Insn {
    sock_filter f;
    Target jt = kNone, jf = kNone;
  };
  std::vector<Insn> code;
  std::vector<size_t> block_ends;  // index after each arch block
  auto add = [&](uint16_t op, uint32_t k, Target jt = kNone, Target jf = kNone) {
    code.push_back({{op, 0, 0, k}, jt, jf});
  };
  add(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  for (const auto& l : limits) {
    if (!l.native && !l.x32) continue;
    add(BPF_JMP | BPF_JEQ | BPF_K, l.audit_arch, kNone, kNext);
    add(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    if (l.audit_arch == SCMP_ARCH_X86_64) add(BPF_JMP | BPF_JGE | BPF_K, kX32Bit, kX32, kNone);
    if (l.native) {
      add(BPF_JMP | BPF_JGT | BPF_K, *l.native, kEnosys, kMain);
    } else {
      add(BPF_JMP | BPF_JA, 0, kMain);
    }
    if (l.audit_arch == SCMP_ARCH_X86_64) {
      // kX32 lands here.
      if (l.x32) {
        add(BPF_JMP | BPF_JGT | BPF_K, *l.x32, kEnosys, kMain);
      } else {
        add(BPF_JMP | BPF_JA, 0, kMain);
      }
    }
    block_ends.push_back(code.size());
  }
  add(BPF_JMP | BPF_JA, 0, kMain);
  size_t enosys = code.size();
  add(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  size_t main = code.size();

  std::vector<sock_filter> out;
  size_t block = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    while (block < block_ends.size() && block_ends[block] <= i) ++block;
    auto where = [&](Target t) -> size_t {
      switch (t) {
        case kNext:
          return block < block_ends.size() ? block_ends[block] : main - 2;
        case kEnosys:
          return enosys;
        case kMain:
          return main;
        case kX32:
          return i + 2;  // past the native comparison
        case kNone:
          return i + 1;
      }
      return i + 1;
    };
    sock_filter f = code[i].f;
    if (BPF_CLASS(f.code) == BPF_JMP && BPF_OP(f.code) == BPF_JA) {
      f.k = static_cast<uint32_t>(where(code[i].jt) - (i + 1));
    } else if (BPF_CLASS(f.code) == BPF_JMP) {
      size_t jt = where(code[i].jt) - (i + 1), jf = where(code[i].jf) - (i + 1);
      if (jt > 255 || jf > 255) throw Error("seccomp: ENOSYS stub jump too long");
      f.jt = static_cast<uint8_t>(jt);
      f.jf = static_cast<uint8_t>(jf);
    }
    out.push_back(f);
  }
  return out;
}

}  // namespace

SeccompProgram compile_seccomp(const spec::LinuxSeccomp& s, const std::string& source,
                               const DebugSink& debug) {
  std::string base = source + ": /linux/seccomp";
  SeccompProgram prog;
  uint32_t def = action(s.defaultAction, s.defaultErrnoRet, base + "/defaultAction",
                        base + "/defaultErrnoRet");
  Ctx ctx(seccomp_init(def));
  if (!ctx) throw Error(base + "/defaultAction: libseccomp refused \"" + s.defaultAction + "\"");

  for (size_t i = 0; i < s.architectures.size(); ++i) {
    std::string where = base + "/architectures/" + std::to_string(i);
    int rc = seccomp_arch_add(ctx.get(), arch(s.architectures[i], where));
    if (rc != -EEXIST) check(rc, where);
  }
  for (size_t i = 0; i < s.flags.size(); ++i) {
    auto f = std::find_if(std::begin(kFlags), std::end(kFlags),
                          [&](const FlagName& n) { return n.name == s.flags[i]; });
    if (f == std::end(kFlags)) {
      throw Error(base + "/flags/" + std::to_string(i) + ": unknown flag \"" + s.flags[i] + "\"");
    }
    prog.flags |= f->flag;
  }

  for (size_t i = 0; i < s.syscalls.size(); ++i) {
    const auto& sc = s.syscalls[i];
    std::string where = base + "/syscalls/" + std::to_string(i);
    uint32_t act = action(sc.action, sc.errnoRet, where + "/action", where + "/errnoRet");
    std::vector<scmp_arg_cmp> cmps;
    for (size_t j = 0; j < sc.args.size(); ++j) {
      const auto& a = sc.args[j];
      std::string arg_where = where + "/args/" + std::to_string(j);
      if (a.index > 5)
        throw Error(arg_where + "/index: " + std::to_string(a.index) + " is above 5");
      cmps.push_back({a.index, op(a.op, arg_where + "/op"), a.value, a.valueTwo});
    }
    if (act == SCMP_ACT_NOTIFY) prog.notify = true;
    // A rule that repeats the default changes nothing, and libseccomp rejects it.
    if (act == def) continue;
    for (size_t n = 0; n < sc.names.size(); ++n) {
      const std::string& name = sc.names[n];
      int nr = seccomp_syscall_resolve_name(name.c_str());
      if (nr == __NR_SCMP_ERROR) {
        if (debug) debug("seccomp: skipping syscall \"" + name + "\" unknown to libseccomp");
        continue;
      }
      add_rules(ctx.get(), act, nr, cmps, where + "/names/" + std::to_string(n));
    }
  }
  if (prog.notify) prog.flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  if ((prog.flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) && !prog.notify) {
    throw Error(base +
                "/flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV needs a SCMP_ACT_NOTIFY rule");
  }
  // The runtime stays single-threaded, so TSYNC has nothing to do; the kernel refuses it
  // beside a listener.
  prog.flags &= ~static_cast<unsigned>(SECCOMP_FILTER_FLAG_TSYNC);
  prog.bpf = export_bpf(ctx.get());
  // A default that already lets calls through (or answers ENOSYS) needs no stub.
  if (def != SCMP_ACT_ALLOW && def != SCMP_ACT_LOG && def != SCMP_ACT_ERRNO(ENOSYS)) {
    std::vector<uint32_t> arches = {seccomp_arch_native()};
    for (size_t i = 0; i < s.architectures.size(); ++i) {
      uint32_t a = arch(s.architectures[i], "");
      if (std::find(arches.begin(), arches.end(), a) == arches.end()) arches.push_back(a);
    }
    std::vector<sock_filter> stub = enosys_stub(newest_syscalls(s, arches));
    prog.bpf.insert(prog.bpf.begin(), stub.begin(), stub.end());
    if (prog.bpf.size() > BPF_MAXINSNS) {
      throw Error(base + ": the filter has " + std::to_string(prog.bpf.size()) +
                  " instructions, above the kernel's limit of " + std::to_string(BPF_MAXINSNS));
    }
  }
  return prog;
}

linux_::Fd load_seccomp(const SeccompProgram& program, const std::string& source) {
  struct sock_fprog fprog = {static_cast<unsigned short>(program.bpf.size()),
                             const_cast<sock_filter*>(program.bpf.data())};
  long rc = linux_::kernel().seccomp(SECCOMP_SET_MODE_FILTER, program.flags, &fprog);
  if (rc < 0) {
    int err = errno;
    std::string why = source + ": /linux/seccomp: loading the filter";
    if (err == EACCES) why += " (without noNewPrivileges it needs CAP_SYS_ADMIN)";
    if (err == EINVAL) why += " (a flag in /linux/seccomp/flags may be unknown to this kernel)";
    throw Error::sys(why, err);
  }
  return program.notify ? linux_::Fd(static_cast<int>(rc)) : linux_::Fd();
}

std::string seccomp_notify_state(const std::string& container_state_json,
                                 const std::string& metadata, const std::string& status) {
  rapidjson::Document state;
  state.Parse(container_state_json.c_str());
  if (state.HasParseError() || !state.IsObject()) throw Error("seccomp: bad container state");
  auto& alloc = state.GetAllocator();
  if (state.HasMember("status")) state["status"].SetString(status.c_str(), alloc);
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  w.StartObject();
  w.Key("ociVersion");
  w.String(state.HasMember("ociVersion") ? state["ociVersion"].GetString() : "1.2.0");
  w.Key("fds");
  w.StartArray();
  w.String("seccompFd");
  w.EndArray();
  w.Key("pid");
  w.Int(state.HasMember("pid") && state["pid"].IsInt() ? state["pid"].GetInt() : 0);
  if (!metadata.empty()) {
    w.Key("metadata");
    w.String(metadata.c_str());
  }
  w.Key("state");
  state.Accept(w);
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

SeccompNames seccomp_names() {
  static constexpr std::string_view kArchs[] = {
      "X86",     "X86_64",      "X32",    "ARM",      "AARCH64",     "MIPS",
      "MIPS64",  "MIPS64N32",   "MIPSEL", "MIPSEL64", "MIPSEL64N32", "PPC",
      "PPC64",   "PPC64LE",     "S390",   "S390X",    "PARISC",      "PARISC64",
      "RISCV64", "LOONGARCH64", "M68K",   "SH",       "SHEB"};
  SeccompNames out;
  for (const auto& a : kActions) out.actions.emplace_back(a.name);
  for (const auto& o : kOps) out.operators.emplace_back(o.name);
  for (const auto& f : kFlags) out.flags.emplace_back(f.name);
  for (std::string_view a : kArchs) {
    std::string name = "SCMP_ARCH_" + std::string(a);
    try {
      arch(name, "");
      out.archs.push_back(name);
    } catch (const Error&) {
    }
  }
  return out;
}

}  // namespace hull::security
