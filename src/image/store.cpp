// prepare, release and gc: layers extracted once into a content-addressed store and stacked
// as overlayfs lower dirs under each bundle's own upper dir.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "hull/error.hpp"
#include "image/bundle.hpp"
#include "image/digest.hpp"
#include "image/mounts.hpp"
#include "image/progress.hpp"
#include "image/snapshot.hpp"
#include "image/text.hpp"
#include "image/walk.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"

namespace hull::image {
namespace {

// The store: sha256/<hex> per layer (by diff_id), tmp/ for extractions in progress, bundles/
// naming the bundles that use it, and a lock: shared while preparing, exclusive for gc.
class Store {
 public:
  explicit Store(std::string dir) : dir_(absolute(dir)) {
    for (const char* sub : {"sha256", "tmp", "bundles"}) make_dirs(dir_ + "/" + sub, 0700);
  }
  const std::string& dir() const { return dir_; }
  std::string layer_dir(const std::string& diff_id) const {
    return dir_ + "/sha256/" + digest_hex(diff_id);
  }
  bool has(const std::string& diff_id) const {
    struct stat st;
    return ::stat(layer_dir(diff_id).c_str(), &st) == 0;
  }
  std::string record_file(const std::string& bundle) const {
    return dir_ + "/bundles/" + digest_hex(sha256_digest(bundle));
  }
  Fd lock(bool exclusive) const {
    Fd fd = open_or_throw(dir_ + "/lock", O_RDWR | O_CREAT, 0600);
    if (::flock(fd.get(), exclusive ? LOCK_EX : LOCK_SH) != 0) throw Error::sys("locking " + dir_);
    return fd;
  }

 private:
  std::string dir_;
};

// The names in a directory of the store.
std::vector<std::string> names_in(int dirfd) {
  std::vector<std::string> names;
  walk(dirfd, [&](const WalkItem& it) {
    names.push_back(it.name);
    return false;
  });
  return names;
}

// True when this call put the layer into the store (another may have been first).
bool extract_to_store(const Store& store, const Image& img, const Layer& l, size_t index,
                      Progress& progress) {
  std::string what = img.layer_name(index);
  TempDir tmp(store.dir() + "/tmp", digest_hex(l.diff_id).substr(0, 12) + ".");
  if (::chmod(tmp.path().c_str(), 0755) != 0) throw Error::sys("chmod " + tmp.path());
  {
    Fd root = open_or_throw(tmp.path(), O_RDONLY | O_DIRECTORY);
    LayerReader reader(with_context(what, [&] { return img.open(l.file); }), l.compression,
                       {l.blob.digest, l.blob.size, l.diff_id}, what, &progress);
    ApplyOptions opts;
    opts.whiteouts = Whiteouts::kOverlay;
    apply_layer(reader.tar(), root.get(), opts, what);
    // Only a layer whose diff_id checked out enters the store.
    reader.finish();
  }
  std::string dest = store.layer_dir(l.diff_id);
  if (::rename(tmp.path().c_str(), dest.c_str()) == 0) {
    tmp.release();
    return true;
  }
  if (errno != EEXIST && errno != ENOTEMPTY) throw Error::sys("moving " + what + " into " + dest);
  return false;
}

// Extracts the missing layers, several at once: they are independent directories. made gets
// the diff_ids of the layers put in the store, also when an error is thrown.
void fill_store(const Store& store, const Image& img, std::vector<std::string>& made) {
  std::vector<size_t> missing;
  std::set<std::string> seen;
  uint64_t total = 0;
  for (size_t i = 0; i < img.layers.size(); ++i)
    if (!store.has(img.layers[i].diff_id) && seen.insert(img.layers[i].diff_id).second) {
      missing.push_back(i);
      total += static_cast<uint64_t>(std::max<int64_t>(img.layers[i].blob.size, 0));
    }
  if (missing.empty()) return;
  Progress progress("extracting " + std::to_string(missing.size()) + " layers", total,
                    Progress::wanted());
  size_t workers =
      std::min<size_t>(missing.size(), std::max(2u, std::thread::hardware_concurrency()));
  std::atomic<size_t> next{0};
  std::mutex mu;
  std::exception_ptr first_error;
  auto work = [&] {
    for (size_t k; (k = next++) < missing.size();) {
      try {
        const Layer& l = img.layers[missing[k]];
        if (extract_to_store(store, img, l, missing[k], progress)) {
          std::lock_guard lock(mu);
          made.push_back(l.diff_id);
        }
      } catch (...) {
        std::lock_guard lock(mu);
        if (!first_error) first_error = std::current_exception();
        next = missing.size();
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (first_error) std::rethrow_exception(first_error);
}

void mount_overlay(const Store& store, const Image& img, const std::string& rootfs,
                   const std::string& meta) {
  std::string upper = meta + "/upper", work = meta + "/work";
  std::string empty = store.dir() + "/empty";
  for (const auto& d : {upper, work}) make_dirs(d, 0755);
  std::vector<std::string> lowers;
  for (auto it = img.layers.rbegin(); it != img.layers.rend(); ++it)
    lowers.push_back(store.layer_dir(it->diff_id));
  std::string lower = join(lowers, ":");
  if (lower.empty()) {
    make_dirs(empty, 0755);
    lower = empty;
  }
  // The merged root takes its owner and mode from the upper dir: give it the image's.
  struct stat st;
  std::string top = img.layers.empty() ? empty : store.layer_dir(img.layers.back().diff_id);
  if (::stat(top.c_str(), &st) != 0) throw Error::sys("inspecting " + top);
  if (::chown(upper.c_str(), st.st_uid, st.st_gid) != 0 ||
      ::chmod(upper.c_str(), st.st_mode & 07777) != 0)
    throw Error::sys("setting up " + upper);
  std::string data = "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work;
  if (data.size() >= static_cast<size_t>(::sysconf(_SC_PAGESIZE)))
    throw Error("overlay options for " + std::to_string(img.layers.size()) +
                " layers exceed a page: use a store with a shorter path");
  if (::mount("overlay", rootfs.c_str(), "overlay", 0, data.c_str()) != 0)
    throw Error::sys("mounting the overlay rootfs at " + rootfs);
}

// The layers (diff_ids) of the store still in use, asked with the exclusive lock held: those
// the records of prepared bundles name (a stale record is removed on the way), and those any
// live overlay mount uses, in any mount namespace, whatever the records say: a bundle moved,
// or released while a container kept its own copy of the mount, still holds its layers.
std::set<std::string> layers_in_use(const Store& store) {
  std::set<std::string> used;
  Fd records = open_or_throw(store.dir() + "/bundles", O_RDONLY | O_DIRECTORY);
  for (const auto& name : names_in(records.get())) {
    std::string file = store.dir() + "/bundles/" + name;
    try {
      BundleRecord rec = BundleRecord::load(linux_::read_file_bounded(file, json::kImageJsonBytes));
      if (rec.mode == "overlay" && rec.store == store.dir()) {
        used.insert(rec.diff_ids.begin(), rec.diff_ids.end());
        continue;
      }
    } catch (const Error&) {
      // The bundle is gone, moved or was made again differently: its record is stale.
    }
    ::unlink(file.c_str());
  }
  std::set<std::string> paths;
  std::set<std::pair<dev_t, ino_t>> inodes;
  for (auto& dir : overlay_dirs_in_use()) {
    struct stat st;
    if (::stat(dir.c_str(), &st) == 0) inodes.emplace(st.st_dev, st.st_ino);
    paths.insert(std::move(dir));
  }
  Fd layers = open_or_throw(store.dir() + "/sha256", O_RDONLY | O_DIRECTORY);
  for (const auto& n : names_in(layers.get())) {
    std::string path = store.dir() + "/sha256/" + n;
    struct stat st;
    bool mounted = paths.contains(path) ||
                   (::fstatat(layers.get(), n.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                    inodes.contains({st.st_dev, st.st_ino}));
    for (auto it = paths.lower_bound(path + "/"); !mounted && it != paths.end(); ++it) {
      if (!it->starts_with(path + "/")) break;
      mounted = true;
    }
    if (mounted) used.insert("sha256:" + n);
  }
  return used;
}

// After a failed prepare: the layers it put in the store go again, unless another bundle took
// them up meanwhile.
void remove_unused(const Store& store, const std::vector<std::string>& made) {
  if (made.empty()) return;
  Fd lock = store.lock(true);
  auto used = layers_in_use(store);
  Fd layers = open_or_throw(store.dir() + "/sha256", O_RDONLY | O_DIRECTORY);
  for (const auto& id : made)
    if (!used.contains(id)) remove_all_at(layers.get(), digest_hex(id));
}

}  // namespace

void prepare(const Ref& ref, const std::string& bundle, const BundleOptions& opts) {
  if (opts.apply.rootless || !opts.apply.uid_map.empty() || !opts.apply.gid_map.empty())
    throw Error("prepare: --rootless and id mappings need a private rootfs: use unpack");
  Image img = open_image(ref, opts.open);
  Store store(opts.store);
  std::vector<std::string> made;
  try {
    Fd lock = store.lock(false);
    fill_store(store, img, made);
    NewBundle nb(bundle);
    std::string meta = meta_dir(nb.path());
    std::string rootfs = nb.rootfs();
    nb.on_failure([rootfs] { ::umount2(rootfs.c_str(), MNT_DETACH); });
    mount_overlay(store, img, rootfs, meta);
    Fd root = open_or_throw(rootfs, O_RDONLY | O_DIRECTORY);
    std::string config = make_config(img, root.get(), opts.config);
    BundleRecord rec = BundleRecord::of(img, ref, "overlay");
    rec.store = store.dir();
    rec.save(nb.path());
    write_file_atomic(store.record_file(nb.path()), nb.path());
    nb.keep(config);
  } catch (...) {
    // The lock and the bundle are gone by now (unmounted, removed).
    try {
      remove_unused(store, made);
    } catch (const Error& e) {
      std::fprintf(stderr, "oci-image: cleaning up %s: %s\n", store.dir().c_str(), e.what());
    }
    throw;
  }
}

void release(const std::string& bundle_arg) {
  std::string bundle = absolute(bundle_arg);
  std::string rootfs = bundle + "/rootfs";
  struct stat st;
  bool incomplete = ::lstat(incomplete_marker(bundle).c_str(), &st) == 0;
  std::optional<BundleRecord> rec;
  try {
    rec = BundleRecord::load(bundle);
  } catch (const Error&) {
    if (!incomplete) throw;
  }
  // A bundle cut short may hold an overlay mount whatever its record says (prepare mounts
  // before it writes one); a plain directory answers EINVAL.
  if (incomplete || rec->mode == "overlay") {
    if (::umount2(rootfs.c_str(), UMOUNT_NOFOLLOW) != 0 && errno != EINVAL && errno != ENOENT)
      throw Error::sys("unmounting " + shown(rootfs) + " (is a container still using it?)");
  }
  if (rec && rec->mode == "overlay") ::unlink(Store(rec->store).record_file(bundle).c_str());
  remove_all(rootfs);
  remove_all(meta_dir(bundle));
  ::unlink((bundle + "/config.json").c_str());
  ::rmdir(bundle.c_str());  // only when nothing else is left in it
}

std::vector<std::string> gc(const std::string& store_dir, const std::vector<Ref>& keep,
                            const OpenOptions& open) {
  Store store(store_dir);
  std::set<std::string> used;
  for (const auto& ref : keep)
    for (const auto& l : open_image(ref, open).layers) used.insert(l.diff_id);
  Fd lock = store.lock(true);
  used.merge(layers_in_use(store));
  std::vector<std::string> removed;
  Fd layers = open_or_throw(store.dir() + "/sha256", O_RDONLY | O_DIRECTORY);
  for (const auto& n : names_in(layers.get()))
    if (!used.contains("sha256:" + n)) {
      remove_all_at(layers.get(), n);
      removed.push_back("sha256:" + n);
    }
  Fd tmp = open_or_throw(store.dir() + "/tmp", O_RDONLY | O_DIRECTORY);
  for (const auto& n : names_in(tmp.get())) remove_all_at(tmp.get(), n);
  return removed;
}

}  // namespace hull::image
