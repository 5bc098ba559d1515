#include "state/fingerprint.hpp"

#include <elf.h>
#include <link.h>

#include <cstdio>
#include <cstring>

#include "linux/sha256.hpp"

namespace hull::state {
namespace {

// The first object dl_iterate_phdr reports is the program itself (static or dynamic).
int find_build_id(struct dl_phdr_info* info, size_t, void* out_ptr) {
  auto* out = static_cast<std::string*>(out_ptr);
  for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    const char* end = p + ph.p_memsz;
    auto align4 = [](size_t n) { return (n + 3) & ~size_t{3}; };
    while (static_cast<size_t>(end - p) >= sizeof(ElfW(Nhdr))) {
      ElfW(Nhdr) nh;
      std::memcpy(&nh, p, sizeof(nh));
      const char* name = p + sizeof(nh);
      const char* desc = name + align4(nh.n_namesz);
      if (desc > end || static_cast<size_t>(end - desc) < nh.n_descsz) break;
      if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
        char hex[3];
        for (ElfW(Word) k = 0; k < nh.n_descsz; ++k) {
          std::snprintf(hex, sizeof(hex), "%02x", static_cast<unsigned char>(desc[k]));
          out->append(hex, 2);
        }
        return 1;
      }
      p = desc + align4(nh.n_descsz);
    }
  }
  return 1;  // only the program itself
}

}  // namespace

const std::string& build_id() {
  static const std::string id = [] {
    std::string out;
    dl_iterate_phdr(find_build_id, &out);
    return out;
  }();
  return id;
}

std::string fingerprint(std::string_view content) {
  if (build_id().empty()) return {};
  return build_id() + ":" + std::to_string(content.size()) +
         ":sha256:" + linux_::sha256_hex(content);
}

}  // namespace hull::state
