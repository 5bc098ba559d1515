#include "image/fd.hpp"

#include <fcntl.h>

#include <cerrno>
#include <cstdlib>
#include <vector>

#include "hull/error.hpp"
#include "image/text.hpp"
#include "linux/remove_tree.hpp"

namespace hull::image {

Fd open_or_throw(const std::string& path, int flags, mode_t mode) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  if (fd < 0) throw Error::sys("opening " + path);
  return Fd(fd);
}

TempDir::TempDir(const std::string& parent, const std::string& prefix) {
  std::string tmpl = parent + "/" + prefix + "XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr)
    throw Error::sys("making a temporary directory in " + parent);
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  try {
    remove_all(path_);
  } catch (const Error&) {
    // A destructor cannot report; what is left is named by the error that unwound us.
  }
}

void remove_all_at(int dirfd, const std::string& name) {
  linux_::remove_tree_at(dirfd, name, shown(name));
}

void remove_all(const std::string& path) {
  linux_::remove_tree(path);
}

}  // namespace hull::image
