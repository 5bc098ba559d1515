// Small file helpers that report failures as hull::Error naming the path.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hull::linux_ {

std::string read_file(const std::string& path);
// nullopt when the file does not exist; other failures throw. For paths that are often absent:
// exceptions are kept off the normal path (the first throw in a static binary is costly).
std::optional<std::string> try_read_file(const std::string& path);
// Writes the whole content (O_WRONLY|O_TRUNC|O_CREAT with mode when create is set).
void write_file(const std::string& path, std::string_view content, bool create = false,
                unsigned mode = 0644);
// Writes all of data to fd; `what` names the target in errors.
void write_all(int fd, std::string_view data, const std::string& what);
// Writes path atomically: a new temporary file beside it (O_EXCL|O_NOFOLLOW, ".NAME" or a
// random name when that exists, in the directory opened once), then renameat over path. A symlink
// at path is replaced, never followed; a failure leaves no temporary file behind.
void write_file_atomic(const std::string& path, std::string_view content, unsigned mode = 0644);
// The same for the file `name` in the directory dirfd; `what` names it in errors.
void write_file_atomic_at(int dirfd, const std::string& name, std::string_view content,
                          unsigned mode, const std::string& what);
// mkdir -p, the one for hull, oci-image and oci-bridge; returns true if the last component
// was created. A non-directory on the way (after symlinks) is an Error naming it.
bool mkdir_p(const std::string& path, unsigned mode = 0755);
bool exists(const std::string& path);

}  // namespace hull::linux_
