#include "image/layer_writer.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <vector>

#include "hull/error.hpp"
#include "image/confine.hpp"
#include "image/digest.hpp"
#include "image/text.hpp"

namespace hull::image {

struct LayerWriter::Sinks {
  Fd out;
  Sha256 blob_hash, tar_hash;
  int64_t blob_size = 0;
  archive* gzip = nullptr;  // raw format + gzip filter: compresses the tar stream
  archive* tar = nullptr;
  bool open = false;

  ~Sinks() {
    if (tar != nullptr) archive_write_free(tar);
    if (gzip != nullptr) archive_write_free(gzip);
  }

  static la_ssize_t to_file(archive* a, void* self, const void* buf, size_t n) {
    auto* s = static_cast<Sinks*>(self);
    try {
      write_all(s->out.get(), static_cast<const char*>(buf), n, "the layer blob");
    } catch (const Error& e) {
      archive_set_error(a, e.code(), "%s", e.what());
      return -1;
    }
    s->blob_hash.update(buf, n);
    s->blob_size += static_cast<int64_t>(n);
    return static_cast<la_ssize_t>(n);
  }

  static la_ssize_t to_gzip(archive* a, void* self, const void* buf, size_t n) {
    auto* s = static_cast<Sinks*>(self);
    s->tar_hash.update(buf, n);
    la_ssize_t r = archive_write_data(s->gzip, buf, n);
    if (r < 0) archive_set_error(a, EIO, "%s", archive_error_string(s->gzip));
    return r;
  }
};

namespace {
void check(archive* a, int r, const std::string& what) {
  if (r < ARCHIVE_WARN) throw Error(what + ": " + shown(archive_error_string(a)));
}
}  // namespace

LayerWriter::LayerWriter(const std::string& file) : file_(file), sinks_(std::make_unique<Sinks>()) {
  auto& s = *sinks_;
  s.out = open_or_throw(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  s.gzip = archive_write_new();
  s.tar = archive_write_new();
  if (s.gzip == nullptr || s.tar == nullptr) throw Error("allocating the layer writer");
  check(s.gzip, archive_write_add_filter_gzip(s.gzip), "gzip");
  // Reproducible output: no time stamp in the gzip header.
  archive_write_set_filter_option(s.gzip, "gzip", "timestamp", nullptr);
  check(s.gzip, archive_write_set_format_raw(s.gzip), "gzip");
  archive_write_set_bytes_per_block(s.gzip, 0);
  check(s.gzip, archive_write_open(s.gzip, &s, nullptr, Sinks::to_file, nullptr), "gzip");
  archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, "layer.tar");
  archive_entry_set_filetype(e, AE_IFREG);
  check(s.gzip, archive_write_header(s.gzip, e), "gzip");
  archive_entry_free(e);
  check(s.tar, archive_write_set_format_pax_restricted(s.tar), "tar");
  check(s.tar, archive_write_open(s.tar, &s, nullptr, Sinks::to_gzip, nullptr), "tar");
  s.open = true;
}

LayerWriter::~LayerWriter() = default;

void LayerWriter::write_entry(archive_entry* e, int data_fd) {
  archive* a = sinks_->tar;
  std::string name = shown(archive_entry_pathname(e));
  check(a, archive_write_header(a, e), "writing " + name);
  if (data_fd < 0) return;
  std::vector<char> buf(1 << 18);
  for (;;) {
    ssize_t n = ::read(data_fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error::sys("reading " + name);
    if (n == 0) break;
    if (archive_write_data(a, buf.data(), static_cast<size_t>(n)) < 0)
      check(a, ARCHIVE_FATAL, "writing " + name);
  }
}

void LayerWriter::add(int dirfd, const std::string& base, const std::string& name,
                      const struct stat& st) {
  struct EntryFree {
    void operator()(archive_entry* e) const { archive_entry_free(e); }
  };
  std::unique_ptr<archive_entry, EntryFree> e(archive_entry_new());
  archive_entry_copy_stat(e.get(), &st);
  archive_entry_set_pathname(e.get(), name.c_str());
  archive_entry_unset_atime(e.get());
  archive_entry_unset_ctime(e.get());
  archive_entry_unset_birthtime(e.get());
  std::string path = fd_path(dirfd, base);
  ssize_t len = ::llistxattr(path.c_str(), nullptr, 0);
  if (len > 0) {
    std::vector<char> names(static_cast<size_t>(len));
    len = ::llistxattr(path.c_str(), names.data(), names.size());
    for (ssize_t i = 0; i < len;) {
      std::string n = names.data() + i;
      i += static_cast<ssize_t>(n.size()) + 1;
      if (n.starts_with("trusted.overlay.")) continue;
      ssize_t vlen = ::lgetxattr(path.c_str(), n.c_str(), nullptr, 0);
      if (vlen < 0) continue;
      std::vector<char> value(static_cast<size_t>(vlen));
      vlen = ::lgetxattr(path.c_str(), n.c_str(), value.data(), value.size());
      if (vlen >= 0)
        archive_entry_xattr_add_entry(e.get(), n.c_str(), value.data(), static_cast<size_t>(vlen));
    }
  }
  Fd data;
  if (S_ISLNK(st.st_mode)) {
    std::vector<char> target(static_cast<size_t>(st.st_size) + 1);
    ssize_t n = ::readlinkat(dirfd, base.c_str(), target.data(), target.size());
    if (n < 0) throw Error::sys("reading symlink " + shown(name));
    archive_entry_set_symlink(e.get(), std::string(target.data(), static_cast<size_t>(n)).c_str());
  } else if (S_ISREG(st.st_mode)) {
    auto key = std::make_pair(st.st_dev, st.st_ino);
    auto it = st.st_nlink > 1 ? links_.find(key) : links_.end();
    if (it != links_.end()) {
      archive_entry_set_hardlink(e.get(), it->second.c_str());
      archive_entry_set_size(e.get(), 0);
    } else {
      if (st.st_nlink > 1) links_.emplace(key, name);
      data = Fd(::openat(dirfd, base.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
      if (!data) throw Error::sys("opening " + shown(name));
    }
  }
  write_entry(e.get(), data ? data.get() : -1);
}

void LayerWriter::add_whiteout(const std::string& name) {
  auto slash = name.find_last_of('/');
  std::string wh = slash == std::string::npos
                       ? ".wh." + name
                       : name.substr(0, slash + 1) + ".wh." + name.substr(slash + 1);
  archive_entry* e = archive_entry_new();
  archive_entry_set_pathname(e, wh.c_str());
  archive_entry_set_filetype(e, AE_IFREG);
  archive_entry_set_perm(e, 0);
  archive_entry_set_size(e, 0);
  try {
    write_entry(e, -1);
  } catch (...) {
    archive_entry_free(e);
    throw;
  }
  archive_entry_free(e);
}

void LayerWriter::add_opaque(const std::string& dir) {
  add_whiteout(dir.empty() ? ".wh..opq" : dir + "/.wh..opq");
}

WrittenLayer LayerWriter::finish() {
  auto& s = *sinks_;
  check(s.tar, archive_write_close(s.tar), "finishing the tar stream");
  check(s.gzip, archive_write_close(s.gzip), "finishing the gzip stream");
  WrittenLayer out;
  out.digest = oci_digest(s.blob_hash.finish());
  out.diff_id = oci_digest(s.tar_hash.finish());
  out.size = s.blob_size;
  return out;
}

}  // namespace hull::image
