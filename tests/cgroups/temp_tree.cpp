#include "temp_tree.hpp"

#include <ftw.h>
#include <stdlib.h>
#include <unistd.h>

#include "linux/files.hpp"

namespace hull::cgroups::test {

TempTree::TempTree() {
  char tmpl[] = "/tmp/hull-cg-test-XXXXXX";
  root_ = ::mkdtemp(tmpl);
}

TempTree::~TempTree() {
  ::nftw(
      root_.c_str(),
      [](const char* p, const struct stat*, int, struct FTW*) { return ::remove(p); }, 16,
      FTW_DEPTH | FTW_PHYS);
}

void TempTree::file(const std::string& path, const std::string& content) const {
  std::string full = root_ + "/" + path;
  linux_::mkdir_p(full.substr(0, full.find_last_of('/')));
  linux_::write_file(full, content, true, 0644);
}

std::string TempTree::read(const std::string& path) const {
  return linux_::read_file(root_ + "/" + path);
}

}  // namespace hull::cgroups::test
