// Whole-file and whole-stream reads with a size limit: the only way hull, oci-image and
// oci-bridge read an input whose size they do not control (config.json, state.json, a file or
// stdin given on the command line, image blobs, network files). A read never takes more than
// limit + 1 bytes, so /dev/zero or a huge file fails at once with an error that names the input
// and the limit instead of growing until std::bad_alloc.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace hull::linux_ {

// What may stand at the path.
enum class FileKind {
  kRegular,  // only a regular file (after following symlinks): config.json, state.json, blobs
  kAny,      // also a pipe, a socket or a character device (/dev/stdin, <(...)), read to EOF
};

// Reads the whole file at path. Throws hull::Error naming the path when it cannot be opened or
// read, when it is not a regular file (kRegular), or when it holds more than limit bytes.
std::string read_file_bounded(const std::string& path, size_t limit,
                              FileKind kind = FileKind::kRegular);
// The same, but nullopt when nothing is at the path (ENOENT).
std::optional<std::string> try_read_file_bounded(const std::string& path, size_t limit,
                                                 FileKind kind = FileKind::kRegular);
// Reads fd to end of file; `what` names it in errors ("stdin", "--process file").
std::string read_fd_bounded(int fd, size_t limit, const std::string& what);

// "16 MiB", "512 KiB", "100 bytes": a limit as the messages print it.
std::string size_text(size_t bytes);

}  // namespace hull::linux_
