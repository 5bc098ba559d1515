// A temporary directory for a fake cgroup tree, removed with everything in it.
#pragma once

#include <string>

namespace hull::cgroups::test {

class TempTree {
 public:
  TempTree();
  ~TempTree();
  const std::string& root() const { return root_; }
  // Creates path (relative to root) with content, making parent dirs.
  void file(const std::string& path, const std::string& content = "") const;
  std::string read(const std::string& path) const;

 private:
  std::string root_;
};

}  // namespace hull::cgroups::test
