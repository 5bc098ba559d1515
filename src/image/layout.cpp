#include "image/layout.hpp"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>

#include "hull/error.hpp"
#include "image/confine.hpp"
#include "image/digest.hpp"
#include "image/documents.hpp"
#include "image/json.hpp"
#include "image/text.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"

namespace hull::image {

Descriptor parse_descriptor(const rapidjson::Value& v, const std::string& what) {
  if (!v.IsObject()) throw Error(what + ": not an object");
  Descriptor d;
  d.media_type = get_string(v, "mediaType", what);
  d.digest = require_string(v, "digest", what);
  check_digest(d.digest, what + ".digest");
  auto it = v.FindMember("size");
  if (it == v.MemberEnd() || !it->value.IsInt64() || it->value.GetInt64() < 0)
    throw Error(what + ": field \"size\" must be a non-negative integer");
  d.size = it->value.GetInt64();
  return d;
}

std::string read_checked(const std::string& dir, const std::string& file, const Descriptor& d,
                         const std::string& what) {
  Fd root = open_or_throw(dir, O_RDONLY | O_DIRECTORY);
  Fd fd;
  try {
    fd = open_file_in_root(root.get(), file);
  } catch (const Error&) {
    throw Error(what + " " + shown(d.digest.empty() ? file : d.digest) + ": blob missing in " +
                shown(dir));
  }
  std::string data = linux_::read_fd_bounded(fd.get(), json::kImageJsonBytes, what);
  if (d.size >= 0 && static_cast<int64_t>(data.size()) != d.size)
    throw Error(what + " " + d.digest + ": size mismatch: the descriptor says " +
                std::to_string(d.size) + " bytes, the blob has " + std::to_string(data.size()));
  if (!d.digest.empty()) {
    std::string got = sha256_digest(data);
    if (got != d.digest)
      throw Error(what + " " + d.digest + ": digest mismatch: the blob hashes to " + got);
  }
  return data;
}

Layout::Layout(std::string dir) : dir_(std::move(dir)) {
  std::string marker;
  try {
    marker = linux_::read_file_bounded(dir_ + "/oci-layout", json::kImageJsonBytes);
  } catch (const Error& e) {
    throw Error(dir_ + ": not an OCI image layout (no readable oci-layout file)");
  }
  auto doc = parse_json(marker, dir_ + "/oci-layout");
  if (get_string(doc, "imageLayoutVersion", dir_ + "/oci-layout").empty())
    throw Error(dir_ + "/oci-layout: imageLayoutVersion missing");
}

Layout Layout::create(const std::string& dir) {
  make_dirs(dir + "/blobs/sha256");
  struct stat st;
  if (::stat((dir + "/oci-layout").c_str(), &st) != 0)
    write_file_atomic(dir + "/oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
  if (::stat((dir + "/index.json").c_str(), &st) != 0)
    write_file_atomic(dir + "/index.json", "{\"schemaVersion\":2,\"mediaType\":\"" +
                                               std::string(media::kOciIndex) +
                                               "\",\"manifests\":[]}");
  return Layout(dir);
}

std::string Layout::blob_file(const std::string& digest) const {
  return "blobs/sha256/" + digest_hex(digest);
}

rapidjson::Document Layout::index() const {
  std::string file = dir_ + "/index.json";
  return parse_json(linux_::read_file_bounded(file, json::kImageJsonBytes), file);
}

std::vector<IndexEntry> parse_index(const std::string& json, const std::string& what) {
  auto doc = parse_json(json, what);
  std::vector<IndexEntry> out;
  const auto* manifests = get_array(doc, "manifests", what);
  if (manifests == nullptr) return out;
  int i = 0;
  for (const auto& m : manifests->GetArray()) {
    std::string w = what + " manifests[" + std::to_string(i++) + "]";
    IndexEntry e;
    e.desc = parse_descriptor(m, w);
    if (const auto* ann = get_object(m, "annotations", w))
      e.tag = get_string(*ann, kRefNameAnnotation, w + ".annotations");
    if (const auto* p = get_object(m, "platform", w)) {
      e.platform = get_string(*p, "os", w) + "/" + get_string(*p, "architecture", w);
      std::string variant = get_string(*p, "variant", w);
      if (!variant.empty()) e.platform += "/" + variant;
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<IndexEntry> Layout::entries() const {
  std::string file = dir_ + "/index.json";
  return parse_index(linux_::read_file_bounded(file, json::kImageJsonBytes), file);
}

std::string Layout::read_blob(const Descriptor& d, const std::string& what) const {
  return read_checked(dir_, blob_file(d.digest), d, what);
}

bool Layout::has_blob(const std::string& digest) const {
  struct stat st;
  return ::stat((dir_ + "/" + blob_file(digest)).c_str(), &st) == 0;
}

Descriptor Layout::write_blob(const std::string& data, const std::string& media_type) {
  Descriptor d{media_type, sha256_digest(data), static_cast<int64_t>(data.size())};
  if (!has_blob(d.digest)) write_file_atomic(dir_ + "/" + blob_file(d.digest), data);
  return d;
}

void Layout::adopt_blob(const std::string& file, const std::string& digest) {
  std::string dest = dir_ + "/" + blob_file(digest);
  if (::rename(file.c_str(), dest.c_str()) != 0) throw Error::sys("moving " + file + " to " + dest);
}

void Layout::set_tag(const Descriptor& manifest, const std::string& tag,
                     const std::string& platform) {
  auto doc = index();
  auto& a = doc.GetAllocator();
  if (!doc.HasMember("manifests") || !doc["manifests"].IsArray())
    doc.AddMember("manifests", rapidjson::Value(rapidjson::kArrayType), a);
  auto& list = doc["manifests"];
  for (auto it = list.Begin(); it != list.End();) {
    const auto* ann = it->IsObject() ? get_object(*it, "annotations", "index.json") : nullptr;
    bool same = ann != nullptr && get_string(*ann, kRefNameAnnotation, "index.json") == tag;
    it = same ? list.Erase(it) : it + 1;
  }
  rapidjson::Value d(rapidjson::kObjectType);
  d.AddMember("mediaType", rapidjson::Value(manifest.media_type.c_str(), a), a);
  d.AddMember("digest", rapidjson::Value(manifest.digest.c_str(), a), a);
  d.AddMember("size", manifest.size, a);
  if (!platform.empty()) {
    rapidjson::Value p(rapidjson::kObjectType);
    Platform plat = parse_platform(platform);
    p.AddMember("architecture", rapidjson::Value(plat.arch.c_str(), a), a);
    p.AddMember("os", rapidjson::Value(plat.os.c_str(), a), a);
    if (!plat.variant.empty()) p.AddMember("variant", rapidjson::Value(plat.variant.c_str(), a), a);
    d.AddMember("platform", p, a);
  }
  rapidjson::Value ann(rapidjson::kObjectType);
  ann.AddMember(rapidjson::StringRef(kRefNameAnnotation), rapidjson::Value(tag.c_str(), a), a);
  d.AddMember("annotations", ann, a);
  list.PushBack(d, a);
  write_file_atomic(dir_ + "/index.json", to_json(doc));
}

}  // namespace hull::image
