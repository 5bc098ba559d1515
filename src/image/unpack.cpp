// unpack: every layer applied in order onto one plain rootfs directory.
#include <fcntl.h>

#include "hull/error.hpp"
#include "image/bundle.hpp"
#include "image/progress.hpp"
#include "image/snapshot.hpp"

namespace hull::image {

namespace {
uint64_t total_size(const Image& img) {
  uint64_t total = 0;
  for (const auto& l : img.layers)
    total += l.blob.size > 0 ? static_cast<uint64_t>(l.blob.size) : 0;
  return total;
}
}  // namespace

void unpack(const Ref& ref, const std::string& bundle, const BundleOptions& opts) {
  Image img = open_image(ref, opts.open);
  NewBundle nb(bundle);
  Fd root = open_or_throw(nb.rootfs(), O_RDONLY | O_DIRECTORY);
  Progress progress("unpacking " + std::to_string(img.layers.size()) + " layers", total_size(img),
                    Progress::wanted());
  ApplyOptions apply = opts.apply;
  apply.whiteouts = Whiteouts::kApply;
  for (size_t i = 0; i < img.layers.size(); ++i) {
    const Layer& l = img.layers[i];
    std::string what = img.layer_name(i);
    LayerReader reader(with_context(what, [&] { return img.open(l.file); }), l.compression,
                       {l.blob.digest, l.blob.size, l.diff_id}, what, &progress);
    apply_layer(reader.tar(), root.get(), apply, what);
    reader.finish();
  }
  save_snapshot(root.get(), meta_dir(nb.path()) + "/base.snapshot");
  BundleRecord::of(img, ref, "unpacked").save(nb.path());
  nb.keep(make_config(img, root.get(), opts.config));
}

}  // namespace hull::image
