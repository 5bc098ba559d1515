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
#include "image/text.hpp"

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

std::string incomplete_marker(const std::string& bundle) {
  return meta_dir(bundle) + "/incomplete";
}

NewBundle::NewBundle(const std::string& bundle) : path_(absolute(bundle)) {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) {
    make_dirs(path_, 0711);
    made_dir_ = true;
  } else if (!S_ISDIR(st.st_mode)) {
    throw Error("bundle " + shown(path_) + ": exists and is not a directory");
  }
  auto fail = [&](const std::string& why, int err) {
    if (made_dir_) ::rmdir(path_.c_str());
    return Error("bundle " + shown(path_) + ": " + why, err);
  };
  // An empty rootfs directory is taken over; anything else belongs to someone.
  if (::rmdir(rootfs().c_str()) != 0 && errno != ENOENT) {
    int err = errno;
    if (err == ENOTEMPTY || err == EEXIST)
      throw fail(shown(rootfs()) + " exists and is not empty (release it first)", 0);
    throw fail(shown(rootfs()), err);
  }
  // The marker goes first, so a bundle cut short at any later point (even by SIGKILL) is one
  // that release recognises and removes.
  if (::mkdir(meta_dir(path_).c_str(), 0700) != 0 && errno != EEXIST)
    throw fail("making " + shown(meta_dir(path_)), errno);
  try {
    write_file_atomic(incomplete_marker(path_), "");
  } catch (const Error& e) {
    ::rmdir(meta_dir(path_).c_str());
    throw fail(e.what(), 0);
  }
  if (::mkdir(rootfs().c_str(), 0755) != 0) {
    int err = errno;
    ::unlink(incomplete_marker(path_).c_str());
    ::rmdir(meta_dir(path_).c_str());
    throw fail("making " + shown(rootfs()), err);
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
    std::fprintf(stderr, "oci-image: cleaning up %s: %s\n", shown(path_).c_str(), e.what());
  }
}

void NewBundle::keep(const std::string& config_json) {
  write_file_atomic(path_ + "/config.json", config_json);
  if (::unlink(incomplete_marker(path_).c_str()) != 0)
    throw Error::sys("removing " + shown(incomplete_marker(path_)));
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
    throw Error(shown(bundle) + ": not a bundle made by oci-image unpack or prepare (no " +
                shown(file) + ")");
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
    throw Error(shown(file) + ": unknown mode \"" + shown(r.mode) + "\"");
  return r;
}

}  // namespace hull::image
