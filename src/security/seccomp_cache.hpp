// The cache of compiled seccomp programs: libseccomp takes ~16 ms for docker's default
// profile, and every container of an engine carries it. The first create (or exec) of a
// profile compiles it and stores the program under the state root; later ones read it back.
//
// An entry is named by a SHA-256 over the parsed linux.seccomp section written out
// canonically (so key order and spacing of config.json do not matter, every field that
// shapes the program does; listenerPath and listenerMetadata do not: they are read from the
// config when the listener is sent), the native architecture, libseccomp's version, the
// kernel release and the entry format's version. An entry is used only when it is a regular
// file owned by the caller with no group or other access, in directories of the same kind,
// and its header, echoed key, length and digest all check out; anything else is reported to
// --log, and the program is compiled and the entry written again (atomically, 0600).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "linux/sha256.hpp"
#include "security/seccomp.hpp"
#include "spec/model.hpp"

namespace hull::security {

// A SHA-256 (linux_::hex names its entry).
using SeccompKey = linux_::Sha256Digest;

// The cache key of a section on this host (architecture, libseccomp, kernel).
SeccompKey seccomp_cache_key(const spec::LinuxSeccomp& seccomp);

// An entry's bytes: the program, the debug lines its compilation printed (replayed on a hit),
// and the key it was made for.
std::string encode_seccomp_entry(const SeccompKey& key, const SeccompProgram& program,
                                 const std::vector<std::string>& notes);
// Throws hull::Error saying what is wrong (magic, format, key, length, digest, fields).
SeccompProgram decode_seccomp_entry(const std::string& bytes, const SeccompKey& key,
                                    std::vector<std::string>& notes);

using SeccompCompiler =
    std::function<SeccompProgram(const spec::LinuxSeccomp&, const std::string&, const DebugSink&)>;

// compile_seccomp through the cache in `cache_root`/seccomp (cache_root and that dir are made
// 0700 when missing). Errors in the config are thrown as compile_seccomp's; trouble with the
// cache itself never is: it is warned about and the program compiled. `compile` is
// compile_seccomp unless a test counts the calls.
SeccompProgram cached_compile_seccomp(const spec::LinuxSeccomp& seccomp, const std::string& source,
                                      const std::string& cache_root, const DebugSink& debug = {},
                                      const SeccompCompiler& compile = compile_seccomp);

}  // namespace hull::security
