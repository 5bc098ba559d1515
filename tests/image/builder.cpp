#include "builder.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "image/digest.hpp"
#include "image/fd.hpp"

namespace hull::image::test {

namespace {
Member member(std::string name, char type, std::string data, mode_t mode) {
  Member m;
  m.name = std::move(name);
  m.type = type;
  m.data = std::move(data);
  m.mode = mode;
  return m;
}
}  // namespace

Member file(std::string name, std::string data, mode_t mode) {
  return member(std::move(name), 'f', std::move(data), mode);
}
Member dir(std::string name, mode_t mode) {
  return member(std::move(name), 'd', "", mode);
}
Member symlink(std::string name, std::string target) {
  return member(std::move(name), 'l', std::move(target), 0777);
}
Member hardlink(std::string name, std::string target) {
  return member(std::move(name), 'h', std::move(target), 0644);
}

namespace {

la_ssize_t append(archive*, void* out, const void* buf, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

void ok(archive* a, int r) {
  if (r < ARCHIVE_WARN) throw std::runtime_error(archive_error_string(a));
}

std::string compress(const std::string& data, int (*add_filter)(archive*)) {
  std::string out;
  archive* a = archive_write_new();
  ok(a, add_filter(a));
  ok(a, archive_write_set_format_raw(a));
  archive_write_set_bytes_per_block(a, 0);
  ok(a, archive_write_open(a, &out, nullptr, append, nullptr));
  archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "x");
  archive_entry_set_filetype(e, AE_IFREG);
  ok(a, archive_write_header(a, e));
  archive_write_data(a, data.data(), data.size());
  archive_entry_free(e);
  ok(a, archive_write_close(a));
  archive_write_free(a);
  return out;
}

}  // namespace

std::string make_tar(const std::vector<Member>& members) {
  std::string out;
  archive* a = archive_write_new();
  ok(a, archive_write_set_format_pax(a));
  ok(a, archive_write_open(a, &out, nullptr, append, nullptr));
  for (const auto& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, m.name.c_str());
    archive_entry_set_perm(e, m.mode);
    archive_entry_set_uid(e, m.uid);
    archive_entry_set_gid(e, m.gid);
    archive_entry_set_mtime(e, m.mtime, 0);
    for (const auto& [k, v] : m.xattrs)
      archive_entry_xattr_add_entry(e, k.c_str(), v.data(), v.size());
    std::string data;
    switch (m.type) {
      case 'f':
        archive_entry_set_filetype(e, AE_IFREG);
        if (m.sparse_size > 0) {
          archive_entry_set_size(e, m.sparse_size);
          archive_entry_sparse_add_entry(e, 0, static_cast<la_int64_t>(m.data.size()));
          archive_entry_sparse_add_entry(e, m.sparse_size - static_cast<int64_t>(m.data.size()),
                                         static_cast<la_int64_t>(m.data.size()));
          // The writer takes the whole logical content and stores only the mapped blocks.
          data.assign(static_cast<size_t>(m.sparse_size), '\0');
          data.replace(0, m.data.size(), m.data);
          data.replace(data.size() - m.data.size(), m.data.size(), m.data);
        } else {
          archive_entry_set_size(e, static_cast<la_int64_t>(m.data.size()));
          data = m.data;
        }
        break;
      case 'd':
        archive_entry_set_filetype(e, AE_IFDIR);
        break;
      case 'l':
        archive_entry_set_filetype(e, AE_IFLNK);
        archive_entry_set_symlink(e, m.data.c_str());
        break;
      case 'h':
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_hardlink(e, m.data.c_str());
        archive_entry_set_size(e, 0);
        break;
      case 'c':
      case 'b':
        archive_entry_set_filetype(e, m.type == 'c' ? AE_IFCHR : AE_IFBLK);
        archive_entry_set_rdevmajor(e, m.major);
        archive_entry_set_rdevminor(e, m.minor);
        break;
      case 'p':
        archive_entry_set_filetype(e, AE_IFIFO);
        break;
      default:
        throw std::runtime_error("unknown member type");
    }
    ok(a, archive_write_header(a, e));
    if (!data.empty()) archive_write_data(a, data.data(), data.size());
    archive_entry_free(e);
  }
  ok(a, archive_write_close(a));
  archive_write_free(a);
  return out;
}

std::string gzip(const std::string& data) {
  return compress(data, archive_write_add_filter_gzip);
}
std::string zstd(const std::string& data) {
  return compress(data, archive_write_add_filter_zstd);
}
std::string sha256(const std::string& data) {
  return sha256_digest(data);
}

void write_file(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  if (!f) throw std::runtime_error("writing " + path);
}

std::string read_file(const std::string& path) {
  return hull::image::read_file(path);
}

void make_dirs_for_test(const std::string& dir) {
  make_dirs(dir + "/blobs/sha256");
  write_file(dir + "/oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
}

namespace {
std::string put_blob(const std::string& dir, const std::string& data) {
  std::string d = sha256(data);
  write_file(dir + "/blobs/sha256/" + d.substr(7), data);
  return d;
}

std::string descriptor(const std::string& media_type, const std::string& digest, size_t size) {
  return "{\"mediaType\":\"" + media_type + "\",\"digest\":\"" + digest +
         "\",\"size\":" + std::to_string(size) + "}";
}
}  // namespace

std::string add_image(const std::string& dir, const std::string& tag,
                      const std::vector<LayerSpec>& layers, const std::string& config_extra,
                      const std::string& platform) {
  make_dirs_for_test(dir);
  std::string layer_descs, diff_ids;
  for (const auto& l : layers) {
    std::string tar = make_tar(l.members);
    std::string blob = l.compression == "gzip"   ? gzip(tar)
                       : l.compression == "zstd" ? zstd(tar)
                                                 : tar;
    std::string mt = "application/vnd.oci.image.layer.v1.tar" +
                     std::string(l.compression == "none" ? "" : "+" + l.compression);
    if (!layer_descs.empty()) {
      layer_descs += ",";
      diff_ids += ",";
    }
    layer_descs += descriptor(mt, put_blob(dir, blob), blob.size());
    diff_ids.append("\"").append(sha256(tar)).append("\"");
  }
  auto slash = platform.find('/');
  std::string config = "{\"architecture\":\"" + platform.substr(slash + 1) + "\",\"os\":\"" +
                       platform.substr(0, slash) + "\",\"config\":{" + config_extra +
                       "},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diff_ids + "]}}";
  std::string cdig = put_blob(dir, config);
  std::string manifest =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"config\":" +
      descriptor("application/vnd.oci.image.config.v1+json", cdig, config.size()) +
      ",\"layers\":[" + layer_descs + "]}";
  std::string mdig = put_blob(dir, manifest);
  std::string entry =
      descriptor("application/vnd.oci.image.manifest.v1+json", mdig, manifest.size());
  entry.pop_back();
  entry += ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}";
  std::string index_path = dir + "/index.json";
  std::string entries;
  if (::access(index_path.c_str(), F_OK) == 0) {
    std::string old = read_file(index_path);
    auto open = old.find('[');
    auto close = old.rfind(']');
    entries = old.substr(open + 1, close - open - 1);
  }
  if (!entries.empty()) entries += ",";
  write_file(index_path, "{\"schemaVersion\":2,\"manifests\":[" + entries + entry + "]}");
  return mdig;
}

TempTree::TempTree() {
  char tmpl[] = "/tmp/oci-image-test.XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp");
  path_ = tmpl;
}

TempTree::~TempTree() {
  try {
    remove_all(path_);
  } catch (...) {
  }
}

}  // namespace hull::image::test
