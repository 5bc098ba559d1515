// The state directory tree under --root: one locked directory per container.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "linux/fd.hpp"
#include "state/record.hpp"

namespace hull::state {

// One container's directory, flock()ed while this object lives so that concurrent commands on
// the same id are serialised (Store::view gives an unlocked one, for reading only). A
// directory made by Store::create is removed again when the object dies before keep() is
// called, so a failed create leaves nothing behind.
class ContainerDir {
 public:
  ContainerDir(std::string path, linux_::Fd fd, bool created);
  ContainerDir(ContainerDir&&) = default;
  ContainerDir& operator=(ContainerDir&&) = delete;
  ~ContainerDir();

  const std::string& path() const { return path_; }
  int fd() const { return fd_.get(); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string fifo_path() const { return file("exec.fifo"); }
  bool fifo_exists() const;

  // Writes r as state.json; the fingerprints of the files Store::create wrote go with it.
  void save(const Record& r) const;
  Record load() const;

  // A file Store::create wrote beside state.json, read whole (at most limit bytes). `intact`:
  // its bytes are the ones this same hull build wrote, by the record's fingerprint, so what
  // was checked before they were written still holds; false when the file changed since, or
  // came from another build or a hull that kept no fingerprint.
  struct Saved {
    std::string text;
    bool intact = false;
  };
  Saved read_saved(const std::string& name, size_t limit) const;
  // Removes the directory and everything in it.
  void remove();
  void keep() { created_ = false; }
  // After a rename of the directory (the fd and lock stay with it).
  void moved_to(std::string path) { path_ = std::move(path); }
  // Lets other commands at the container while this process goes on (run's wait).
  void unlock() { fd_.reset(); }

 private:
  std::string path_;
  linux_::Fd fd_;
  bool created_;
  std::map<std::string, std::string> written_;  // name -> fingerprint, by Store::create

  friend class Store;
};

class Store {
 public:
  explicit Store(std::string root);

  // Makes <root>/<id> already locked and holding `early` as its state.json: the directory is
  // filled under a temporary name and renamed into place without replacing, so an id is
  // never visible without a record, and of parallel creates of one id exactly one wins.
  // `files` (name, content) are written beside it first, mode 0600, and every record saved
  // through the returned object carries their fingerprints (see read_saved).
  ContainerDir create(const std::string& id, const Record& early,
                      const std::vector<std::pair<std::string, std::string>>& files = {}) const;
  // Throws "already exists" when id is taken (create checks again, atomically).
  void ensure_free(const std::string& id) const;
  // Waits for the lock.
  ContainerDir open(const std::string& id) const;
  // Does not wait: empty while another command holds the container.
  std::optional<ContainerDir> try_open(const std::string& id) const;
  // The directory unlocked, to read a record another command holds (atomically replaced,
  // so a read sees one whole version).
  ContainerDir view(const std::string& id) const;
  // A directory without a record (left by hull versions that wrote it last) that nobody
  // holds: removed. Returns whether there was one.
  bool remove_stale(const std::string& id) const;
  bool exists(const std::string& id) const;
  std::vector<std::string> ids() const;
  const std::string& root() const { return root_; }
  // <root>/~cache~: what hull keeps between containers (compiled seccomp programs). '~' is
  // never in an id, so no container can take the name, and ids() never lists it.
  std::string cache_dir() const { return root_ + "/~cache~"; }

 private:
  std::string root_;
};

// Throws unless id is a safe single path component (letters, digits, "_+-.", not "." or "..").
void validate_id(const std::string& id);

}  // namespace hull::state
