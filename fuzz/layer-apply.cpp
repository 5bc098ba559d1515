// One layer from arbitrary bytes, applied the way unpack and prepare apply one (LayerReader:
// decompression detected, then apply_layer) into a scratch root made fresh for each run and
// removed after it. The first byte picks the options (whiteout mode, rootless). Any
// hull::Error is the expected answer to bad input; anything else is a bug, and so is any
// write outside the root: a sentinel directory beside it must stay empty and nothing else
// may appear next to them.
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include "hull/error.hpp"
#include "image/apply.hpp"
#include "image/fd.hpp"
#include "image/stream.hpp"

namespace {

std::set<std::string> names_in(const std::string& dir) {
  std::set<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    std::perror(dir.c_str());
    std::abort();
  }
  while (dirent* e = ::readdir(d))
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") out.insert(e->d_name);
  ::closedir(d);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hull::image;
  if (size == 0) return 0;
  ApplyOptions opts;
  opts.whiteouts = static_cast<Whiteouts>(data[0] % 3);
  opts.rootless = (data[0] & 4) != 0;
  opts.note = [](const std::string&) {};
  TempDir scratch("/tmp", "hull-fuzz-apply.");
  std::string root = scratch.path() + "/root", sentinel = scratch.path() + "/sentinel";
  make_dirs(root);
  make_dirs(sentinel);
  Fd blob(::memfd_create("layer", MFD_CLOEXEC));
  if (!blob) std::abort();
  write_all(blob.get(), reinterpret_cast<const char*>(data) + 1, size - 1, "the memfd");
  if (::lseek(blob.get(), 0, SEEK_SET) != 0) std::abort();
  try {
    Fd root_fd = open_or_throw(root, O_RDONLY | O_DIRECTORY);
    LayerReader reader(std::move(blob), Compression::kAuto, {}, "layer");
    apply_layer(reader.tar(), root_fd.get(), opts, "layer");
    reader.finish();
  } catch (const hull::Error&) {
  }
  if (!names_in(sentinel).empty() ||
      names_in(scratch.path()) != std::set<std::string>{"root", "sentinel"}) {
    std::fprintf(stderr, "layer-apply: something was written outside the root in %s\n",
                 scratch.path().c_str());
    scratch.release();  // kept for a look
    std::abort();
  }
  return 0;
}
