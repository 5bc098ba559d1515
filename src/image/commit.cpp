// commit: a bundle's changes become a new layer on its image, tagged in an OCI layout.
#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "hull/error.hpp"
#include "image/bundle.hpp"
#include "image/confine.hpp"
#include "image/digest.hpp"
#include "image/json.hpp"
#include "image/layer_writer.hpp"
#include "image/layout.hpp"
#include "image/snapshot.hpp"
#include "image/text.hpp"
#include "image/walk.hpp"

namespace hull::image {
namespace {

std::string now_rfc3339() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Opens the parent directory of name below root (names come from our own walk: no escapes).
std::pair<Fd, std::string> parent_of(int root, const std::string& name) {
  auto [parent, base] = split_name(name);
  Fd dir = open_dir_in_root(root, parent);
  if (!dir) throw Error::sys("opening " + (parent.empty() ? "/" : shown(parent)));
  return {std::move(dir), base};
}

void add(LayerWriter& w, int root, const std::string& name, const struct stat& st) {
  auto [dir, base] = parent_of(root, name);
  w.add(dir.get(), base, name, st);
}

// An overlay upper dir is already the changeset; only its whiteouts change form.
void diff_upper(LayerWriter& w, const std::string& upper) {
  Fd root = open_or_throw(upper, O_RDONLY | O_DIRECTORY);
  walk(root.get(), [&](const WalkItem& it) {
    if (S_ISCHR(it.st.st_mode) && it.st.st_rdev == makedev(0, 0)) {
      w.add_whiteout(it.rel);
      return false;
    }
    w.add(it.dirfd, it.name, it.rel, it.st);
    if (S_ISDIR(it.st.st_mode)) {
      char v = 0;
      if (::lgetxattr(fd_path(it.dirfd, it.name).c_str(), "trusted.overlay.opaque", &v, 1) == 1 &&
          v == 'y')
        w.add_opaque(it.rel);
    }
    return true;
  });
}

// A plain rootfs against the record taken when it was unpacked.
void diff_snapshot(LayerWriter& w, const std::string& rootfs, const Snapshot& base) {
  Fd root = open_or_throw(rootfs, O_RDONLY | O_DIRECTORY);
  std::unordered_map<std::string, ino_t> now_dirs;
  std::vector<std::string> emitted_dirs;
  auto changed = [&](const std::string& name, const struct stat& st) {
    auto it = base.find(name);
    return it == base.end() || it->second.ino != st.st_ino ||
           it->second.ctime_s != st.st_ctim.tv_sec || it->second.ctime_ns != st.st_ctim.tv_nsec;
  };
  // Parents of a change go in too, so every applier recreates them with the right metadata.
  std::vector<std::pair<std::string, struct stat>> pending_dirs;
  std::unordered_set<std::string> present;
  walk(root.get(), [&](const WalkItem& it) {
    const std::string& name = it.rel;
    const struct stat& st = it.st;
    present.insert(name);
    while (!pending_dirs.empty() && !name.starts_with(pending_dirs.back().first + "/"))
      pending_dirs.pop_back();
    if (S_ISDIR(st.st_mode)) now_dirs.emplace(name, st.st_ino);
    if (!changed(name, st)) {
      if (S_ISDIR(st.st_mode)) pending_dirs.emplace_back(name, st);
      return true;
    }
    for (auto& [dname, dst] : pending_dirs) add(w, root.get(), dname, dst);
    pending_dirs.clear();
    w.add(it.dirfd, it.name, name, st);
    if (S_ISDIR(st.st_mode)) {
      auto b = base.find(name);
      // A directory made anew over an old one hides everything the old one held.
      if (b != base.end() && b->second.dir && b->second.ino != st.st_ino) w.add_opaque(name);
    }
    return true;
  });
  std::vector<std::string> gone;
  for (const auto& [name, e] : base) {
    if (present.contains(name)) continue;
    auto [parent, leaf] = split_name(name);
    auto pb = parent.empty() ? base.end() : base.find(parent);
    auto pn = now_dirs.find(parent);
    bool parent_same = parent.empty() ||
                       (pb != base.end() && pn != now_dirs.end() && pn->second == pb->second.ino);
    if (parent_same) gone.push_back(name);
  }
  std::sort(gone.begin(), gone.end());
  for (const auto& name : gone) w.add_whiteout(name);
}

// Copies a base layer into the target layout when it is not there yet.
Descriptor copy_layer(Layout& out, const Image& img, const Layer& l) {
  if (!l.blob.digest.empty() && out.has_blob(l.blob.digest)) return l.blob;
  std::string tmp = out.dir() + "/blobs/sha256/.copy-" + std::to_string(::getpid());
  Sha256 hash;
  int64_t size = 0;
  {
    Fd src = img.open(l.file);
    Fd dst = open_or_throw(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char> buf(1 << 20);
    ssize_t n;
    while ((n = ::read(src.get(), buf.data(), buf.size())) > 0) {
      hash.update(buf.data(), static_cast<size_t>(n));
      write_all(dst.get(), buf.data(), static_cast<size_t>(n), tmp);
      size += n;
    }
    if (n < 0) throw Error::sys("copying layer " + l.file);
  }
  Descriptor d = l.blob;
  std::string got = oci_digest(hash.finish());
  if (!d.digest.empty() && got != d.digest) {
    ::unlink(tmp.c_str());
    throw Error("base layer " + d.digest + ": digest mismatch: the blob hashes to " + got);
  }
  d.digest = got;
  d.size = size;
  if (d.media_type == media::kDockerLayer) d.media_type = "application/vnd.oci.image.layer.v1.tar";
  out.adopt_blob(tmp, got);
  return d;
}

rapidjson::Value descriptor_json(const Descriptor& d, rapidjson::Document::AllocatorType& a) {
  rapidjson::Value v(rapidjson::kObjectType);
  v.AddMember("mediaType", rapidjson::Value(d.media_type.c_str(), a), a);
  v.AddMember("digest", rapidjson::Value(d.digest.c_str(), a), a);
  v.AddMember("size", d.size, a);
  return v;
}

}  // namespace

std::string commit(const std::string& bundle_arg, const Ref& target, const CommitOptions& opts) {
  std::string bundle = absolute(bundle_arg);
  BundleRecord rec = BundleRecord::load(bundle);
  if (target.kind != Ref::Kind::kOciLayout)
    throw Error("commit: the target must be an OCI layout (oci:DIR[:TAG]), not " + target.text);
  Image img = open_image(parse_ref(rec.ref), opts.open);
  if (img.manifest.digest != rec.manifest)
    throw Error("commit: the base image " + rec.ref + " now names manifest " + img.manifest.digest +
                ", the bundle was made from " + rec.manifest);
  Layout out = Layout::create(target.path);
  bool docker = img.manifest.media_type == media::kDockerManifest;

  std::string tmp = out.dir() + "/blobs/sha256/.commit-" + std::to_string(::getpid());
  WrittenLayer layer;
  try {
    LayerWriter w(tmp);
    if (rec.mode == "overlay")
      diff_upper(w, meta_dir(bundle) + "/upper");
    else
      diff_snapshot(w, bundle + "/rootfs", load_snapshot(meta_dir(bundle) + "/base.snapshot"));
    layer = w.finish();
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  out.adopt_blob(tmp, layer.digest);

  std::vector<Descriptor> layers;
  for (const auto& l : img.layers) layers.push_back(copy_layer(out, img, l));
  layers.push_back(Descriptor{
      docker ? "application/vnd.docker.image.rootfs.diff.tar.gzip" : media::kOciLayerGzip,
      layer.digest, layer.size});

  auto cfg = parse_json(img.config_json, "config " + img.config.digest);
  auto& a = cfg.GetAllocator();
  std::string created = now_rfc3339();
  auto set = [&](rapidjson::Value& obj, const char* key, rapidjson::Value v) {
    if (obj.HasMember(key))
      obj[key] = v;
    else
      obj.AddMember(rapidjson::StringRef(key), v, a);
  };
  set(cfg, "created", rapidjson::Value(created.c_str(), a));
  if (!opts.author.empty()) set(cfg, "author", rapidjson::Value(opts.author.c_str(), a));
  cfg["rootfs"]["diff_ids"].PushBack(rapidjson::Value(layer.diff_id.c_str(), a), a);
  if (!cfg.HasMember("history") || !cfg["history"].IsArray())
    set(cfg, "history", rapidjson::Value(rapidjson::kArrayType));
  rapidjson::Value h(rapidjson::kObjectType);
  h.AddMember("created", rapidjson::Value(created.c_str(), a), a);
  h.AddMember("created_by", "oci-image commit", a);
  if (!opts.author.empty()) h.AddMember("author", rapidjson::Value(opts.author.c_str(), a), a);
  if (!opts.message.empty()) h.AddMember("comment", rapidjson::Value(opts.message.c_str(), a), a);
  cfg["history"].PushBack(h, a);
  Descriptor config = out.write_blob(
      to_json(cfg), docker ? "application/vnd.docker.container.image.v1+json" : media::kOciConfig);

  rapidjson::Document m(rapidjson::kObjectType);
  auto& ma = m.GetAllocator();
  m.AddMember("schemaVersion", 2, ma);
  std::string mt = docker ? media::kDockerManifest : media::kOciManifest;
  m.AddMember("mediaType", rapidjson::Value(mt.c_str(), ma), ma);
  m.AddMember("config", descriptor_json(config, ma), ma);
  rapidjson::Value list(rapidjson::kArrayType);
  for (const auto& d : layers) list.PushBack(descriptor_json(d, ma), ma);
  m.AddMember("layers", list, ma);
  Descriptor manifest = out.write_blob(to_json(m), mt);
  std::string os = get_string(cfg, "os", "config"),
              arch = get_string(cfg, "architecture", "config");
  out.set_tag(manifest, target.tag.empty() ? "latest" : target.tag,
              os.empty() || arch.empty() ? "" : os + "/" + arch);
  return manifest.digest;
}

}  // namespace hull::image
