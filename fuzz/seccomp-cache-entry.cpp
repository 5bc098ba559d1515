// A seccomp cache entry from arbitrary bytes, as create and exec read <root>/~cache~/seccomp/*.
// A hull::Error is the expected answer to a damaged entry. An entry that decodes must hold a
// program the kernel could take (1 to BPF_MAXINSNS instructions), and hull's own encoding of
// it must decode to the same program: otherwise a cache could serve what it never stored.
#include <linux/filter.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "hull/error.hpp"
#include "security/seccomp_cache.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hull::security;
  SeccompKey key;
  key.fill(0x11);  // the seeds' key
  std::string bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> notes;
  SeccompProgram p;
  try {
    p = decode_seccomp_entry(bytes, key, notes);
  } catch (const hull::Error&) {
    return 0;
  }
  if (p.bpf.empty() || p.bpf.size() > BPF_MAXINSNS) std::abort();
  try {
    std::vector<std::string> again_notes;
    SeccompProgram q = decode_seccomp_entry(encode_seccomp_entry(key, p, notes), key, again_notes);
    if (q.flags != p.flags || q.notify != p.notify || q.bpf.size() != p.bpf.size() ||
        std::memcmp(q.bpf.data(), p.bpf.data(), p.bpf.size() * sizeof(sock_filter)) != 0) {
      std::abort();
    }
  } catch (const hull::Error&) {
    std::abort();
  }
  return 0;
}
