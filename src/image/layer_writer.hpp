// Writing a layer: a pax tar of changed paths, gzip-compressed, hashed both ways on the fly
// (blob digest of the gzip stream, diff_id of the tar) so nothing is read twice.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "image/fd.hpp"

struct archive;
struct archive_entry;

namespace hull::image {

struct WrittenLayer {
  std::string digest;
  int64_t size = 0;
  std::string diff_id;
};

class LayerWriter {
 public:
  explicit LayerWriter(const std::string& file);
  ~LayerWriter();
  LayerWriter(const LayerWriter&) = delete;
  LayerWriter& operator=(const LayerWriter&) = delete;

  // Adds base (in dirfd) as name, with its metadata, xattrs (overlay's own left out), symlink
  // target or content; a second name of a hardlinked file becomes a hardlink entry.
  void add(int dirfd, const std::string& base, const std::string& name, const struct stat& st);
  // .wh.BASE beside name: the lower layers' name is deleted.
  void add_whiteout(const std::string& name);
  // .wh..wh..opq inside dir: the lower layers' contents of dir are hidden.
  void add_opaque(const std::string& dir);
  WrittenLayer finish();

 private:
  struct Sinks;
  void write_entry(archive_entry* e, int data_fd);

  std::string file_;
  std::unique_ptr<Sinks> sinks_;
  std::map<std::pair<dev_t, ino_t>, std::string> links_;
};

}  // namespace hull::image
