#include "image/bundle.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "hull/error.hpp"
#include "image/json.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"

namespace hull::image {

std::string meta_dir(const std::string& bundle) {
  return bundle + "/.oci-image";
}

std::string absolute(const std::string& path) {
  std::string p = path;
  if (p.empty() || p[0] != '/') {
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd) == nullptr) throw Error::sys("getcwd");
    p = std::string(cwd) + "/" + p;
  }
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  return p;
}

NewBundle::NewBundle(const std::string& bundle) : path_(absolute(bundle)) {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) {
    make_dirs(path_, 0711);
    made_dir_ = true;
  } else if (!S_ISDIR(st.st_mode)) {
    throw Error("bundle " + path_ + ": exists and is not a directory");
  }
  if (::mkdir(rootfs().c_str(), 0755) != 0) {
    int err = errno;
    if (err == EEXIST && ::rmdir(rootfs().c_str()) == 0 && ::mkdir(rootfs().c_str(), 0755) == 0) {
      // An empty rootfs directory is taken over.
    } else {
      if (made_dir_) ::rmdir(path_.c_str());
      throw Error("bundle " + path_ + ": " + rootfs() +
                  (err == EEXIST ? " exists and is not empty (release it first)"
                                 : ": " + std::string(std::strerror(err))));
    }
  }
  if (::mkdir(meta_dir(path_).c_str(), 0700) != 0 && errno != EEXIST) {
    int err = errno;
    ::rmdir(rootfs().c_str());
    if (made_dir_) ::rmdir(path_.c_str());
    throw Error::sys("making " + meta_dir(path_), err);
  }
}

NewBundle::~NewBundle() {
  if (kept_) return;
  try {
    if (undo_) undo_();
    remove_all(rootfs());
    remove_all(meta_dir(path_));
    ::unlink((path_ + "/config.json").c_str());
    if (made_dir_) ::rmdir(path_.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "oci-image: cleaning up %s: %s\n", path_.c_str(), e.what());
  }
}

void NewBundle::keep(const std::string& config_json) {
  write_file_atomic(path_ + "/config.json", config_json);
  kept_ = true;
}

std::string canonical_ref(const Ref& ref) {
  std::string tag = ref.tag.empty() ? "" : ":" + ref.tag;
  switch (ref.kind) {
    case Ref::Kind::kOciLayout:
      return "oci:" + absolute(ref.path) + tag;
    case Ref::Kind::kOciArchive:
      return "oci-archive:" + absolute(ref.path) + tag;
    case Ref::Kind::kDockerArchive:
      break;
  }
  return "docker-archive:" + absolute(ref.path);
}

BundleRecord BundleRecord::of(const Image& img, const Ref& ref, std::string mode) {
  BundleRecord rec;
  rec.mode = std::move(mode);
  rec.ref = canonical_ref(ref);
  rec.manifest = img.manifest.digest;
  rec.config = img.config.digest;
  for (const auto& l : img.layers) rec.diff_ids.push_back(l.diff_id);
  return rec;
}

void BundleRecord::save(const std::string& bundle) const {
  rapidjson::Document d(rapidjson::kObjectType);
  auto& a = d.GetAllocator();
  auto s = [&](const std::string& v) { return rapidjson::Value(v.c_str(), a); };
  d.AddMember("mode", s(mode), a);
  d.AddMember("ref", s(ref), a);
  d.AddMember("manifest", s(manifest), a);
  d.AddMember("config", s(config), a);
  rapidjson::Value ids(rapidjson::kArrayType);
  for (const auto& id : diff_ids) ids.PushBack(s(id), a);
  d.AddMember("diff_ids", ids, a);
  d.AddMember("store", s(store), a);
  write_file_atomic(meta_dir(bundle) + "/bundle.json", to_json(d, true) + "\n");
}

BundleRecord BundleRecord::load(const std::string& bundle) {
  std::string file = meta_dir(bundle) + "/bundle.json";
  std::string text;
  try {
    text = linux_::read_file_bounded(file, json::kImageJsonBytes);
  } catch (const Error&) {
    throw Error(bundle + ": not a bundle made by oci-image unpack or prepare (no " + file + ")");
  }
  auto d = parse_json(text, file);
  BundleRecord r;
  r.mode = require_string(d, "mode", file);
  r.ref = get_string(d, "ref", file);
  r.manifest = get_string(d, "manifest", file);
  r.config = get_string(d, "config", file);
  r.diff_ids = get_strings(d, "diff_ids", file);
  r.store = get_string(d, "store", file);
  if (r.mode != "unpacked" && r.mode != "overlay")
    throw Error(file + ": unknown mode \"" + r.mode + "\"");
  return r;
}

}  // namespace hull::image
