#include "linux/bounded_read.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "hull/error.hpp"
#include "linux/fd.hpp"

namespace hull::linux_ {

std::string size_text(size_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= (1u << 10) && bytes % (1u << 10) == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

std::string read_fd_bounded(int fd, size_t limit, const std::string& what) {
  std::string out;
  struct stat st {};
  // A regular file's size is a hint (it may change while we read): reserve no more than the
  // limit allows, and never trust it for the end of the data.
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    out.reserve(std::min(static_cast<size_t>(st.st_size), limit) + 1);
  }
  char buf[65536];
  for (;;) {
    // Never asks for more than one byte past the limit: that byte is the proof it is too big.
    // (Written so that limit SIZE_MAX, "no limit", cannot wrap.)
    size_t left = limit - out.size();
    size_t want = left < sizeof(buf) ? left + 1 : sizeof(buf);
    ssize_t n = ::read(fd, buf, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw Error::sys("reading " + what);
    }
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > limit) {
      throw Error(what + ": larger than " + size_text(limit) + ", the limit for this input");
    }
  }
}

std::optional<std::string> try_read_file_bounded(const std::string& path, size_t limit,
                                                 FileKind kind) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before we can look at what it is.
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (!fd && errno == ENOENT) return std::nullopt;
  if (!fd) throw Error::sys("opening " + path);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) throw Error::sys("inspecting " + path);
  if (S_ISDIR(st.st_mode)) throw Error(path + ": is a directory, not a file");
  if (!S_ISREG(st.st_mode)) {
    if (kind == FileKind::kRegular) throw Error(path + ": not a regular file");
    int flags = ::fcntl(fd.get(), F_GETFL);
    if (flags < 0 || ::fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) < 0) {
      throw Error::sys("opening " + path);
    }
  }
  return read_fd_bounded(fd.get(), limit, path);
}

std::string read_file_bounded(const std::string& path, size_t limit, FileKind kind) {
  auto text = try_read_file_bounded(path, limit, kind);
  if (!text) throw Error::sys("opening " + path, ENOENT);
  return *text;
}

}  // namespace hull::linux_
