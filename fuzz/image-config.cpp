// An image config from arbitrary bytes, through everything oci-image does with one: the
// layers' diff_ids, the bundle's config.json (process, user looked up in a small fixed
// rootfs, annotations) and `inspect`. Any hull::Error is the expected answer to bad input;
// anything else is a bug.
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "hull/error.hpp"
#include "image/config.hpp"
#include "image/documents.hpp"
#include "image/fd.hpp"
#include "image/info.hpp"

namespace {

// One rootfs for the whole run, with the files user lookups read; removed at exit.
int rootfs_fd() {
  static hull::image::TempDir dir("/tmp", "hull-fuzz-config.");
  static int fd = [] {
    hull::image::make_dirs(dir.path() + "/etc");
    hull::image::write_file_atomic(
        dir.path() + "/etc/passwd",
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
    hull::image::write_file_atomic(dir.path() + "/etc/group",
                                   "root:x:0:\napp:x:1000:\nwheel:x:10:app\n");
    return ::open(dir.path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  }();
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hull::image;
  std::string text(reinterpret_cast<const char*>(data), size);
  Image img;
  img.config.digest = "sha256:" + std::string(64, '0');
  img.config_json = text;
  try {
    (void)parse_diff_ids(text, "config");
  } catch (const hull::Error&) {
  }
  try {
    ConfigOptions opts;
    opts.cmd = {"true"};  // the image's Cmd is still parsed; no note about a missing one
    (void)make_config(img, rootfs_fd(), opts);
  } catch (const hull::Error&) {
  }
  try {
    (void)inspect(img);
  } catch (const hull::Error&) {
  }
  return 0;
}
