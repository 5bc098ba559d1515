#include "image/stream.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "hull/error.hpp"
#include "image/digest.hpp"
#include "image/fd.hpp"
#include "image/progress.hpp"
#include "image/text.hpp"

namespace hull::image {
namespace {

constexpr size_t kChunk = 1 << 18;
constexpr size_t kMaxQueued = 32;

using Chunk = std::vector<char>;

// A bounded hand-over of decompressed chunks from the reader thread to the extracting one.
class ChunkQueue {
 public:
  // False when the consumer went away: the producer stops.
  bool push(Chunk&& c) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return q_.size() < kMaxQueued || cancelled_; });
    if (cancelled_) return false;
    q_.push_back(std::move(c));
    cv_.notify_all();
    return true;
  }

  // False at the end of the stream.
  bool pop(Chunk& out) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !q_.empty() || closed_; });
    if (q_.empty()) return false;
    if (!out.empty() || out.capacity() > 0) spare_.push_back(std::move(out));
    out = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return true;
  }

  Chunk spare() {
    std::lock_guard lock(mu_);
    if (spare_.empty()) return Chunk();
    Chunk c = std::move(spare_.back());
    spare_.pop_back();
    return c;
  }

  void close(std::string error) {
    std::lock_guard lock(mu_);
    closed_ = true;
    error_ = std::move(error);
    cv_.notify_all();
  }

  void cancel() {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cv_.notify_all();
  }

  std::string error() {
    std::lock_guard lock(mu_);
    return error_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Chunk> q_;
  std::vector<Chunk> spare_;
  bool closed_ = false;
  bool cancelled_ = false;
  std::string error_;
};

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

// The blob as stored: read, counted and hashed for the producer's decompressor.
struct BlobFile {
  Fd fd;
  Sha256 hash;
  int64_t size = 0;
  Progress* progress = nullptr;
  std::vector<char> buf = std::vector<char>(1 << 20);

  ssize_t read() {
    for (;;) {
      ssize_t n = ::read(fd.get(), buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n > 0) {
        hash.update(buf.data(), static_cast<size_t>(n));
        size += n;
        if (progress != nullptr) progress->advance(static_cast<uint64_t>(n));
      }
      return n;
    }
  }

  static la_ssize_t callback(archive* a, void* self, const void** out) {
    auto* f = static_cast<BlobFile*>(self);
    ssize_t n = f->read();
    if (n < 0) {
      archive_set_error(a, errno, "reading the blob");
      return -1;
    }
    *out = f->buf.data();
    return n;
  }
};

const char* compression_name(Compression c) {
  switch (c) {
    case Compression::kNone:
      return "an uncompressed tar";
    case Compression::kGzip:
      return "gzip";
    case Compression::kZstd:
      return "zstd";
    case Compression::kAuto:
      break;
  }
  return "any";
}

}  // namespace

struct LayerReader::State {
  Fd blob;
  Compression compression;
  BlobCheck check;
  std::string what;
  Progress* progress;
  ChunkQueue queue;
  std::thread producer;
  ArchivePtr tar;
  Chunk current;
  Sha256 diff_hash;
  bool finished = false;

  void produce() {
    std::string error;
    try {
      decompress();
    } catch (const std::exception& e) {
      error = e.what();
    }
    queue.close(std::move(error));
  }

  void decompress() {
    BlobFile file;
    file.fd = std::move(blob);
    file.progress = progress;
    ArchivePtr raw(archive_read_new());
    if (!raw) throw Error("allocating a decompressor");
    if (compression == Compression::kGzip || compression == Compression::kAuto)
      archive_read_support_filter_gzip(raw.get());
    if (compression == Compression::kZstd || compression == Compression::kAuto)
      archive_read_support_filter_zstd(raw.get());
    archive_read_support_format_raw(raw.get());
    archive_read_support_format_empty(raw.get());
    if (archive_read_open(raw.get(), &file, nullptr, BlobFile::callback, nullptr) != ARCHIVE_OK)
      throw Error("opening: " + shown(archive_error_string(raw.get())));
    int code = archive_filter_code(raw.get(), 0);
    int want = compression == Compression::kGzip   ? ARCHIVE_FILTER_GZIP
               : compression == Compression::kZstd ? ARCHIVE_FILTER_ZSTD
                                                   : ARCHIVE_FILTER_NONE;
    if (compression != Compression::kAuto && code != want)
      throw Error(std::string("the media type says ") + compression_name(compression) +
                  " but the content is " + archive_filter_name(raw.get(), 0));
    archive_entry* e;
    int r = archive_read_next_header(raw.get(), &e);
    if (r == ARCHIVE_OK) {
      for (;;) {
        Chunk c = queue.spare();
        c.resize(kChunk);
        la_ssize_t n = archive_read_data(raw.get(), c.data(), c.size());
        if (n < 0) throw Error("decompressing: " + shown(archive_error_string(raw.get())));
        if (n == 0) break;
        c.resize(static_cast<size_t>(n));
        if (!queue.push(std::move(c))) return;
      }
    } else if (r != ARCHIVE_EOF) {
      throw Error("decompressing: " + shown(archive_error_string(raw.get())));
    }
    // Bytes after the compressed stream still belong to the blob and its digest.
    ssize_t n;
    while ((n = file.read()) > 0) {
    }
    if (n < 0) throw Error::sys("reading the blob");
    if (check.size >= 0 && file.size != check.size)
      throw Error("size mismatch: the descriptor says " + std::to_string(check.size) +
                  " bytes, the blob has " + std::to_string(file.size));
    if (!check.digest.empty()) {
      std::string got = oci_digest(file.hash.finish());
      if (got != check.digest) throw Error("digest mismatch: the blob hashes to " + got);
    }
  }

  static la_ssize_t tar_callback(archive* a, void* self, const void** out) {
    auto* s = static_cast<State*>(self);
    if (!s->queue.pop(s->current)) {
      std::string err = s->queue.error();
      if (!err.empty()) {
        archive_set_error(a, EIO, "%s", err.c_str());
        return -1;
      }
      return 0;
    }
    s->diff_hash.update(s->current.data(), s->current.size());
    *out = s->current.data();
    return static_cast<la_ssize_t>(s->current.size());
  }
};

LayerReader::LayerReader(Fd blob, Compression compression, BlobCheck check, std::string what,
                         Progress* progress)
    : s_(std::make_unique<State>()) {
  s_->blob = std::move(blob);
  s_->compression = compression;
  s_->check = std::move(check);
  s_->what = std::move(what);
  s_->progress = progress;
  s_->producer = std::thread([s = s_.get()] { s->produce(); });
  s_->tar.reset(archive_read_new());
  if (!s_->tar) throw Error(s_->what + ": allocating a tar reader");
  archive_read_support_format_tar(s_->tar.get());
  archive_read_support_format_empty(s_->tar.get());
  if (archive_read_open(s_->tar.get(), s_.get(), nullptr, State::tar_callback, nullptr) !=
      ARCHIVE_OK) {
    std::string msg = shown(archive_error_string(s_->tar.get()));
    s_->queue.cancel();
    s_->producer.join();
    throw Error(s_->what + ": " + (s_->queue.error().empty() ? msg : s_->queue.error()));
  }
}

LayerReader::~LayerReader() {
  s_->queue.cancel();
  if (s_->producer.joinable()) s_->producer.join();
}

archive* LayerReader::tar() {
  return s_->tar.get();
}

void LayerReader::finish() {
  if (s_->finished) return;
  s_->finished = true;
  while (s_->queue.pop(s_->current)) s_->diff_hash.update(s_->current.data(), s_->current.size());
  s_->producer.join();
  std::string err = s_->queue.error();
  if (!err.empty()) throw Error(s_->what + ": " + err);
  if (!s_->check.diff_id.empty()) {
    std::string got = oci_digest(s_->diff_hash.finish());
    if (got != s_->check.diff_id)
      throw Error(s_->what + ": diff_id mismatch: the config says " + s_->check.diff_id +
                  ", the uncompressed layer hashes to " + got);
  }
}

}  // namespace hull::image
