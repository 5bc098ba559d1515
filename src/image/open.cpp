// Resolving a reference to an Image, for the three transports.
#include <archive.h>
#include <fcntl.h>
#include <sys/utsname.h>

#include <algorithm>

#include "hull/error.hpp"
#include "image/apply.hpp"
#include "image/confine.hpp"
#include "image/digest.hpp"
#include "image/documents.hpp"
#include "image/image.hpp"
#include "image/json.hpp"
#include "image/layout.hpp"
#include "image/text.hpp"
#include "json/parse.hpp"

namespace hull::image {
namespace {

std::string host_arch() {
  utsname u{};
  ::uname(&u);
  std::string m = u.machine;
  if (m == "x86_64") return "amd64";
  if (m == "aarch64") return "arm64";
  if (m == "i686" || m == "i386") return "386";
  if (m.starts_with("arm")) return "arm";
  return m;
}

bool is_index(const std::string& mt) {
  return mt == media::kOciIndex || mt == media::kDockerList;
}
bool is_manifest(const std::string& mt) {
  return mt == media::kOciManifest || mt == media::kDockerManifest;
}

std::string platform_text(const Platform& p) {
  return p.os + "/" + p.arch + (p.variant.empty() ? "" : "/" + p.variant);
}

bool platform_matches(const std::string& text, const Platform& want) {
  if (text.empty()) return false;
  Platform p = parse_platform(text);
  return p.os == want.os && p.arch == want.arch &&
         (want.variant.empty() || p.variant == want.variant);
}

}  // namespace

Descriptor pick_platform(const std::string& json, const std::string& what, const Platform& want) {
  auto doc = parse_json(json, what);
  const auto* list = get_array(doc, "manifests", what);
  if (list == nullptr || list->Empty()) throw Error(what + ": lists no manifests");
  std::vector<std::string> seen;
  int i = 0;
  for (const auto& m : list->GetArray()) {
    std::string w = what + " manifests[" + std::to_string(i++) + "]";
    std::string plat;
    if (const auto* p = get_object(m, "platform", w)) {
      plat = get_string(*p, "os", w) + "/" + get_string(*p, "architecture", w);
      std::string v = get_string(*p, "variant", w);
      if (!v.empty()) plat += "/" + v;
    }
    if (list->Size() == 1 && plat.empty()) return parse_descriptor(m, w);
    if (platform_matches(plat, want)) return parse_descriptor(m, w);
    seen.push_back(plat.empty() ? "?" : plat);
  }
  throw Error(what + ": no manifest for platform " + shown(platform_text(want)) + " (has " +
              shown(join(seen, ", ")) + ")");
}

ManifestDoc parse_manifest(const std::string& json, const std::string& what) {
  auto doc = parse_json(json, what);
  const auto* cfg = get_object(doc, "config", what);
  if (cfg == nullptr) throw Error(what + ": no config descriptor");
  ManifestDoc out;
  out.config = parse_descriptor(*cfg, what + " config");
  const auto* layers = get_array(doc, "layers", what);
  if (layers != nullptr) {
    int i = 0;
    for (const auto& l : layers->GetArray()) {
      std::string w = what + " layers[" + std::to_string(i++) + "]";
      Layer layer;
      layer.blob = parse_descriptor(l, w);
      layer.compression = layer_compression(layer.blob.media_type, w);
      out.layers.push_back(std::move(layer));
    }
  }
  return out;
}

std::vector<std::string> parse_diff_ids(const std::string& json, const std::string& what) {
  auto doc = parse_json(json, what);
  const auto* rootfs = get_object(doc, "rootfs", what);
  if (rootfs == nullptr) throw Error(what + ": no rootfs section");
  auto ids = get_strings(*rootfs, "diff_ids", what + " rootfs");
  for (size_t i = 0; i < ids.size(); ++i)
    check_digest(ids[i], what + " rootfs.diff_ids[" + std::to_string(i) + "]");
  return ids;
}

DockerSave parse_docker_save(const std::string& json, const std::string& what) {
  rapidjson::Document doc = json::parse(json, what);
  if (!doc.IsArray() || doc.Empty() || !doc[0].IsObject())
    throw Error(what + ": not a docker save manifest (a non-empty JSON array of objects)");
  const auto& m = doc[0];
  DockerSave out;
  out.config_file = clean_name(require_string(m, "Config", what));
  for (const auto& l : get_strings(m, "Layers", what)) out.layer_files.push_back(clean_name(l));
  return out;
}

namespace {

void read_manifest(Image& img, const Layout& layout, Descriptor desc, const Platform& plat) {
  for (int depth = 0;; ++depth) {
    if (depth > 4) throw Error("image indexes nested too deeply");
    std::string json = layout.read_blob(desc, "manifest");
    if (desc.media_type.empty()) {
      // Older layouts leave the media type out of the descriptor: the blob says it.
      auto doc = parse_json(json, "manifest " + desc.digest);
      desc.media_type = get_string(doc, "mediaType", "manifest " + desc.digest);
      if (desc.media_type.empty())
        desc.media_type = doc.HasMember("manifests") ? media::kOciIndex : media::kOciManifest;
    }
    if (is_index(desc.media_type)) {
      desc = pick_platform(json, "index " + desc.digest, plat);
      continue;
    }
    if (!is_manifest(desc.media_type))
      throw Error("manifest " + desc.digest + ": unsupported media type \"" +
                  shown(desc.media_type) + "\"");
    img.manifest = desc;
    img.manifest_json = std::move(json);
    break;
  }
  ManifestDoc m = parse_manifest(img.manifest_json, "manifest " + img.manifest.digest);
  img.config = m.config;
  img.config_json = layout.read_blob(img.config, "config");
  img.layers = std::move(m.layers);
  for (auto& l : img.layers) l.file = layout.blob_file(l.blob.digest);
}

void attach_diff_ids(Image& img) {
  std::string what = "config " + img.config.digest;
  auto ids = parse_diff_ids(img.config_json, what);
  if (ids.size() != img.layers.size())
    throw Error(what + ": rootfs.diff_ids lists " + std::to_string(ids.size()) +
                " layers, the manifest " + std::to_string(img.layers.size()));
  for (size_t i = 0; i < ids.size(); ++i) img.layers[i].diff_id = ids[i];
}

void open_layout(Image& img, const std::string& dir, const std::string& tag, const Platform& plat) {
  Layout layout(dir);
  img.dir = dir;
  auto entries = layout.entries();
  std::vector<IndexEntry> found;
  for (const auto& e : entries)
    if (tag.empty() || e.tag == tag) found.push_back(e);
  if (found.size() > 1) {
    std::vector<IndexEntry> same_platform;
    for (const auto& e : found)
      if (platform_matches(e.platform, plat)) same_platform.push_back(e);
    if (same_platform.size() == 1) found = same_platform;
  }
  if (found.size() != 1) {
    std::vector<std::string> names;
    for (const auto& e : entries) names.push_back(e.tag.empty() ? "?" : e.tag);
    std::string tags = shown(join(names, ", "));
    if (found.empty())
      throw Error(dir + ": " +
                  (tag.empty() ? "no image" : "no image tagged \"" + shown(tag) + "\"") +
                  (tags.empty() ? "" : " (tags: " + tags + ")"));
    throw Error(dir + ": holds several images: name one with :TAG (tags: " + tags + ")");
  }
  read_manifest(img, layout, found[0].desc, plat);
  attach_diff_ids(img);
}

// Unpacks an archive (an untrusted tar) into a scratch directory, every name confined to it.
std::shared_ptr<TempDir> unpack_archive(const std::string& file, const std::string& parent) {
  auto dir = std::make_shared<TempDir>(parent, "oci-image-archive.");
  Fd src = open_or_throw(file, O_RDONLY);
  Fd root = open_or_throw(dir->path(), O_RDONLY | O_DIRECTORY);
  LayerReader reader(std::move(src), Compression::kAuto, {}, file);
  ApplyOptions opts;
  opts.whiteouts = Whiteouts::kNone;
  opts.set_owner = false;
  opts.note = [](const std::string&) {};
  apply_layer(reader.tar(), root.get(), opts, file);
  reader.finish();
  return dir;
}

void open_docker_archive(Image& img, const std::string& file, const std::string& parent) {
  img.scratch = unpack_archive(file, parent);
  img.dir = img.scratch->path();
  std::string what = file + ": manifest.json";
  std::string json = read_checked(img.dir, "manifest.json", Descriptor{}, what);
  DockerSave save = parse_docker_save(json, what);
  img.config_json = read_checked(img.dir, save.config_file, Descriptor{}, what + " Config");
  img.config =
      Descriptor{"application/vnd.docker.container.image.v1+json", sha256_digest(img.config_json),
                 static_cast<int64_t>(img.config_json.size())};
  for (auto& f : save.layer_files) {
    Layer layer;
    layer.blob.media_type = media::kDockerLayer;
    layer.file = std::move(f);
    img.layers.push_back(std::move(layer));
  }
  attach_diff_ids(img);
}

}  // namespace

Platform parse_platform(const std::string& text) {
  Platform p;
  p.arch = host_arch();
  if (text.empty()) return p;
  auto a = text.find('/');
  if (a == std::string::npos || a == 0 || a + 1 == text.size())
    throw Error("platform \"" + shown(text) + "\": expected OS/ARCH[/VARIANT]");
  p.os = text.substr(0, a);
  auto b = text.find('/', a + 1);
  p.arch = text.substr(a + 1, b == std::string::npos ? std::string::npos : b - a - 1);
  if (b != std::string::npos) p.variant = text.substr(b + 1);
  return p;
}

Compression layer_compression(const std::string& mt, const std::string& what) {
  static const char* const kTarTypes[] = {
      "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.oci.image.layer.nondistributable.v1.tar",
      "application/vnd.docker.image.rootfs.diff.tar",
      "application/vnd.docker.image.rootfs.foreign.diff.tar",
  };
  for (const char* t : kTarTypes) {
    std::string base = t;
    if (mt == base) return Compression::kNone;
    if (mt == base + "+gzip" || mt == base + ".gzip") return Compression::kGzip;
    if (mt == base + "+zstd") return Compression::kZstd;
  }
  throw Error(what + ": unsupported layer media type \"" + shown(mt) + "\"");
}

Fd Image::open(const std::string& file) const {
  Fd root = open_or_throw(dir, O_RDONLY | O_DIRECTORY);
  try {
    return open_file_in_root(root.get(), file);
  } catch (const Error& e) {
    throw Error("blob " + shown(file) + " missing in " + shown(dir), e.code());
  }
}

std::string Image::layer_name(size_t index) const {
  const Layer& l = layers.at(index);
  return "layer " + std::to_string(index) + " (" +
         shown(l.blob.digest.empty() ? l.file : l.blob.digest) + ")";
}

Image open_image(const Ref& ref, const OpenOptions& opts) {
  Image img;
  img.ref = ref;
  with_context("image " + ref.text, [&] {
    switch (ref.kind) {
      case Ref::Kind::kOciLayout:
        open_layout(img, ref.path, ref.tag, opts.platform);
        break;
      case Ref::Kind::kOciArchive:
        img.scratch = unpack_archive(ref.path, opts.scratch_parent);
        open_layout(img, img.scratch->path(), ref.tag, opts.platform);
        break;
      case Ref::Kind::kDockerArchive:
        open_docker_archive(img, ref.path, opts.scratch_parent);
        break;
    }
  });
  return img;
}

}  // namespace hull::image
