// A fresh directory under /tmp for one test, removed with everything below it afterwards (by
// rm -rf, not by the code under test), and a way to run a check in a child with its own mount
// namespace, so that a mount a test makes never outlives the child.
#pragma once

#include <functional>
#include <string>

namespace hull::linux_::test {

class TempDir {
 public:
  TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

// Runs body in a forked child that first unshares its mount namespace (and makes every mount
// private) and, with net set, its network namespace. Returns "" when body returned "" and
// otherwise what it returned or what went wrong (an exception's text, a signal).
std::string in_child_namespaces(const std::function<std::string()>& body, bool net = false);

void write_text(const std::string& path, const std::string& text);
std::string read_text(const std::string& path);
bool is_there(const std::string& path);  // lstat succeeds

}  // namespace hull::linux_::test
