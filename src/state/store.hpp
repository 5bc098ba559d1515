// The state directory tree under --root: one locked directory per container.
#pragma once

#include <string>
#include <vector>

#include "linux/fd.hpp"
#include "state/record.hpp"

namespace hull::state {

// One container's directory, flock()ed while this object lives so that concurrent commands on
// the same id are serialised. A directory made by Store::create is removed again when the
// object dies before keep() is called, so a failed create leaves nothing behind.
class ContainerDir {
 public:
  ContainerDir(std::string path, linux_::Fd fd, bool created);
  ContainerDir(ContainerDir&&) = default;
  ContainerDir& operator=(ContainerDir&&) = delete;
  ~ContainerDir();

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string fifo_path() const { return file("exec.fifo"); }
  bool fifo_exists() const;

  void save(const Record& r) const;
  Record load() const;
  // Removes the directory and everything in it.
  void remove();
  void keep() { created_ = false; }
  // Lets other commands at the container while this process goes on (run's wait).
  void unlock() { fd_.reset(); }

 private:
  std::string path_;
  linux_::Fd fd_;
  bool created_;
};

class Store {
 public:
  explicit Store(std::string root);

  ContainerDir create(const std::string& id) const;
  ContainerDir open(const std::string& id) const;
  bool exists(const std::string& id) const;
  std::vector<std::string> ids() const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

// Throws unless id is a safe single path component (letters, digits, "_+-.", not "." or "..").
void validate_id(const std::string& id);

}  // namespace hull::state
