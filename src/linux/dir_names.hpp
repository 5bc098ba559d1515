// The one directory walker: the names in a directory but "." and "..", from a stream that is
// closed when the walker goes out of scope.
//
//   for (DirNames d("/proc"); d.next();) use(d.name());
#pragma once

#include <dirent.h>

#include <optional>
#include <string>

namespace hull::linux_ {

class DirNames {
 public:
  // Opens path; throws Error::sys("listing <what>") (what: path when empty).
  explicit DirNames(const std::string& path, std::string what = {});
  // Opens the directory dirfd refers to through a close-on-exec duplicate (dirfd stays the
  // caller's) and lists it from the start, whatever was read through dirfd before; throws
  // Error::sys("listing <what>").
  DirNames(int dirfd, std::string what);
  // nullopt, errno set, where the directory cannot be opened.
  static std::optional<DirNames> try_open(const std::string& path);
  static std::optional<DirNames> try_open(int dirfd, std::string what);

  DirNames(DirNames&& other) noexcept;
  DirNames& operator=(DirNames&&) = delete;
  DirNames(const DirNames&) = delete;
  DirNames& operator=(const DirNames&) = delete;
  ~DirNames();

  // Moves to the next name; false at the end. A read error throws Error::sys("listing
  // <what>"); EINTR is retried.
  bool next();
  // The current entry's name and d_type (DT_UNKNOWN where the filesystem does not say).
  const char* name() const { return entry_->d_name; }
  unsigned char type() const { return entry_->d_type; }

 private:
  DirNames(DIR* dir, std::string what) : dir_(dir), what_(std::move(what)) {}
  static DIR* open_fd(int dirfd);

  DIR* dir_;
  std::string what_;
  struct dirent* entry_ = nullptr;
};

}  // namespace hull::linux_
