// Test images made by the tests themselves: tar streams with any member the format allows
// (including hostile ones), compressed as asked, and OCI layouts or docker-save archives
// holding them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace hull::image::test {

struct Member {
  std::string name;
  char type = 'f';   // f file, d dir, l symlink, h hardlink, c/b device, p fifo
  std::string data;  // file content, or the symlink / hardlink target
  mode_t mode = 0644;
  uint32_t uid = 0, gid = 0;
  int64_t mtime = 1000000000;
  unsigned major = 0, minor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;
  int64_t sparse_size = 0;  // >0: a sparse file of this size with data at start and end
};

Member file(std::string name, std::string data, mode_t mode = 0644);
Member dir(std::string name, mode_t mode = 0755);
Member symlink(std::string name, std::string target);
Member hardlink(std::string name, std::string target);

std::string make_tar(const std::vector<Member>& members);
std::string gzip(const std::string& data);
std::string zstd(const std::string& data);
std::string sha256(const std::string& data);

void write_file(const std::string& path, const std::string& data);
// Makes an empty OCI layout's directories (blobs/sha256) and oci-layout file in dir.
void make_dirs_for_test(const std::string& dir);
std::string read_file(const std::string& path);

struct LayerSpec {
  std::vector<Member> members;
  std::string compression = "gzip";  // gzip, zstd or none
};

// Builds an OCI layout in dir (made if missing) and adds an image tagged tag.
// config_extra is JSON members added to the image config's "config" object, e.g.
// "\"Entrypoint\":[\"/bin/sh\"]". Returns the manifest digest.
std::string add_image(const std::string& dir, const std::string& tag,
                      const std::vector<LayerSpec>& layers, const std::string& config_extra = "",
                      const std::string& platform = "linux/amd64");

// A temporary directory removed (with its contents) at the end of a test.
class TempTree {
 public:
  TempTree();
  ~TempTree();
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

}  // namespace hull::image::test
