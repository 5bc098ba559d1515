#include "cgroups/bpf_devices.hpp"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "hull/error.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {
namespace {

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i;
  std::memset(&i, 0, sizeof(i));
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

bpf_insn load_u32(uint8_t dst, int16_t off) {
  return insn(BPF_LDX | BPF_MEM | BPF_W, dst, BPF_REG_1, off, 0);
}
bpf_insn alu_imm(uint8_t op, uint8_t dst, int32_t imm) {
  return insn(BPF_ALU64 | op | BPF_K, dst, 0, 0, imm);
}
bpf_insn mov_reg(uint8_t dst, uint8_t src) {
  return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0);
}
bpf_insn jne_imm(uint8_t dst, int32_t imm) {
  return insn(BPF_JMP | BPF_JNE | BPF_K, dst, 0, 0, imm);
}
bpf_insn exit_insn() {
  return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
}

int32_t access_bits(const std::string& access) {
  int32_t bits = 0;
  for (char c : access) {
    if (c == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
    if (c == 'r') bits |= BPF_DEVCG_ACC_READ;
    if (c == 'w') bits |= BPF_DEVCG_ACC_WRITE;
  }
  return bits;
}

constexpr int32_t kAllAccess = BPF_DEVCG_ACC_MKNOD | BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE;

// One rule: each test that fails jumps past the block to the next rule.
std::vector<bpf_insn> rule_block(const DeviceRule& r) {
  std::vector<bpf_insn> b;
  std::vector<size_t> jumps;
  auto test = [&](bpf_insn i) {
    jumps.push_back(b.size());
    b.push_back(i);
  };
  test(jne_imm(BPF_REG_2, r.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR));
  int32_t bits = access_bits(r.access);
  if (bits != kAllAccess) {
    // Matches when every requested access is among the rule's.
    b.push_back(mov_reg(BPF_REG_1, BPF_REG_3));
    b.push_back(alu_imm(BPF_AND, BPF_REG_1, ~bits & kAllAccess));
    test(jne_imm(BPF_REG_1, 0));
  }
  if (r.major >= 0) test(jne_imm(BPF_REG_4, static_cast<int32_t>(r.major)));
  if (r.minor >= 0) test(jne_imm(BPF_REG_5, static_cast<int32_t>(r.minor)));
  b.push_back(alu_imm(BPF_MOV, BPF_REG_0, r.allow ? 1 : 0));
  b.push_back(exit_insn());
  for (size_t j : jumps) b[j].off = static_cast<int16_t>(b.size() - j - 1);
  return b;
}

long bpf(int cmd, bpf_attr* attr) {
  return linux_::kernel().bpf(cmd, attr, sizeof(*attr));
}

}  // namespace

std::vector<bpf_insn> device_program(const std::vector<DeviceRule>& rules) {
  bool default_allow = false;
  std::vector<DeviceRule> exceptions;
  for (const auto& r : rules) {
    if (r.type == 'a') {
      default_allow = r.allow;
      exceptions.clear();
    } else {
      exceptions.push_back(r);
    }
  }
  std::vector<bpf_insn> p = {
      load_u32(BPF_REG_2, 0),               // access_type
      alu_imm(BPF_AND, BPF_REG_2, 0xffff),  // device type
      load_u32(BPF_REG_3, 0),               //
      alu_imm(BPF_RSH, BPF_REG_3, 16),      // requested access
      load_u32(BPF_REG_4, 4),               // major
      load_u32(BPF_REG_5, 8),               // minor
  };
  for (auto it = exceptions.rbegin(); it != exceptions.rend(); ++it) {
    auto b = rule_block(*it);
    p.insert(p.end(), b.begin(), b.end());
  }
  p.push_back(alu_imm(BPF_MOV, BPF_REG_0, default_allow ? 1 : 0));
  p.push_back(exit_insn());
  return p;
}

linux_::Fd load_device_program(const std::vector<bpf_insn>& program) {
  static const char license[] = "Apache";
  auto load = [&](std::vector<char>* log) {
    bpf_attr attr;
    std::memset(&attr, 0, sizeof(attr));
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = reinterpret_cast<uint64_t>(program.data());
    attr.insn_cnt = static_cast<uint32_t>(program.size());
    attr.license = reinterpret_cast<uint64_t>(license);
    if (log) {
      (*log)[0] = 0;
      attr.log_buf = reinterpret_cast<uint64_t>(log->data());
      attr.log_size = static_cast<uint32_t>(log->size());
      attr.log_level = 1;
    }
    return bpf(BPF_PROG_LOAD, &attr);
  };
  // Without a log first: a verifier log that does not fit fails the load itself (ENOSPC),
  // and a long rule list verifies into a long log.
  long fd = load(nullptr);
  if (fd >= 0) return linux_::Fd(static_cast<int>(fd));
  int err = errno;
  // Only to explain the failure: load again with a log, growing it until the text fits.
  std::string text;
  for (size_t size = 64 * 1024; size <= 16 * 1024 * 1024; size *= 4) {
    std::vector<char> log(size);
    fd = load(&log);
    if (fd >= 0) {
      // Loaded this time (the first failure was transient): keep it.
      return linux_::Fd(static_cast<int>(fd));
    }
    if (errno == ENOSPC) continue;
    text.assign(log.data(), strnlen(log.data(), log.size()));
    break;
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  throw Error::sys("loading the device filter (BPF_PROG_TYPE_CGROUP_DEVICE, " +
                       std::to_string(program.size()) + " instructions)" +
                       (text.empty() ? "" : " [verifier: " + text + "]"),
                   err);
}

void attach_device_program(int cgroup_dir_fd, int prog_fd) {
  uint32_t ids[64];
  bpf_attr q;
  std::memset(&q, 0, sizeof(q));
  q.query.target_fd = static_cast<uint32_t>(cgroup_dir_fd);
  q.query.attach_type = BPF_CGROUP_DEVICE;
  q.query.prog_ids = reinterpret_cast<uint64_t>(ids);
  q.query.prog_cnt = 64;
  uint32_t old_count = bpf(BPF_PROG_QUERY, &q) == 0 ? q.query.prog_cnt : 0;

  bpf_attr a;
  std::memset(&a, 0, sizeof(a));
  a.target_fd = static_cast<uint32_t>(cgroup_dir_fd);
  a.attach_bpf_fd = static_cast<uint32_t>(prog_fd);
  a.attach_type = BPF_CGROUP_DEVICE;
  a.attach_flags = BPF_F_ALLOW_MULTI;
  if (bpf(BPF_PROG_ATTACH, &a) < 0) throw Error::sys("attaching the device filter to the cgroup");

  for (uint32_t i = 0; i < old_count && i < 64; ++i) {
    bpf_attr g;
    std::memset(&g, 0, sizeof(g));
    g.prog_id = ids[i];
    long old = bpf(BPF_PROG_GET_FD_BY_ID, &g);
    if (old < 0) continue;
    linux_::Fd old_fd(static_cast<int>(old));
    bpf_attr d;
    std::memset(&d, 0, sizeof(d));
    d.target_fd = static_cast<uint32_t>(cgroup_dir_fd);
    d.attach_bpf_fd = static_cast<uint32_t>(old_fd.get());
    d.attach_type = BPF_CGROUP_DEVICE;
    if (bpf(BPF_PROG_DETACH, &d) < 0) throw Error::sys("detaching the previous device filter");
  }
}

}  // namespace hull::cgroups
