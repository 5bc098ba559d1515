// What oci-image remembers about a bundle it made, in BUNDLE/.oci-image/, so that release,
// commit and gc know the image, the mode and (for overlay bundles) the layer store.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "image/apply.hpp"
#include "image/config.hpp"
#include "image/image.hpp"

namespace hull::image {

struct BundleRecord {
  std::string mode;  // "unpacked" or "overlay"
  std::string ref;   // the source image reference as given
  std::string manifest;
  std::string config;
  std::vector<std::string> diff_ids;
  std::string store;  // overlay bundles: the layer store holding the lower dirs

  // The record of a bundle made from img (ref as given on the command line).
  static BundleRecord of(const Image& img, const Ref& ref, std::string mode);
  void save(const std::string& bundle) const;
  // Throws an Error naming bundle when it was not made by oci-image.
  static BundleRecord load(const std::string& bundle);
};

std::string meta_dir(const std::string& bundle);
// Present from the first moment of a new bundle until it is complete: release removes a
// bundle carrying it even without a record (unpack or prepare killed half way).
std::string incomplete_marker(const std::string& bundle);

// Makes BUNDLE, BUNDLE/.oci-image (with the incomplete marker) and BUNDLE/rootfs for a new
// bundle, refusing to reuse a non-empty rootfs; removes what it made unless keep() is called
// (a failed unpack leaves nothing behind).
class NewBundle {
 public:
  explicit NewBundle(const std::string& bundle);
  NewBundle(const NewBundle&) = delete;
  NewBundle& operator=(const NewBundle&) = delete;
  ~NewBundle();
  const std::string& path() const { return path_; }
  std::string rootfs() const { return path_ + "/rootfs"; }
  // Writes config.json, then keeps everything.
  void keep(const std::string& config_json);
  // Runs before the removal on failure (e.g. unmounting the rootfs).
  void on_failure(std::function<void()> f) { undo_ = std::move(f); }

 private:
  std::string path_;
  bool made_dir_ = false;
  bool kept_ = false;
  std::function<void()> undo_;
};
// The bundle path made absolute, without trailing slashes.
std::string absolute(const std::string& path);
// ref with an absolute path, so the record still finds the image from another directory.
std::string canonical_ref(const Ref& ref);

// Options shared by unpack and prepare.
struct BundleOptions {
  OpenOptions open;
  ApplyOptions apply;
  ConfigOptions config;
  std::string store = "/var/lib/hull/layers";
};

void unpack(const Ref& ref, const std::string& bundle, const BundleOptions& opts);
void prepare(const Ref& ref, const std::string& bundle, const BundleOptions& opts);
// Unmounts an overlay rootfs and removes what unpack/prepare made in the bundle.
void release(const std::string& bundle);
// Removes store entries no prepared bundle (nor an image in keep) uses; returns their names.
std::vector<std::string> gc(const std::string& store, const std::vector<Ref>& keep,
                            const OpenOptions& open);

struct CommitOptions {
  std::string author;
  std::string message;
  OpenOptions open;
};
// Writes the bundle's changes as a new layer on its image into the layout of target and tags
// it; returns the new manifest's digest.
std::string commit(const std::string& bundle, const Ref& target, const CommitOptions& opts);

}  // namespace hull::image
