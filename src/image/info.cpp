#include "image/info.hpp"

#include "image/json.hpp"
#include "image/layout.hpp"

namespace hull::image {

std::string list_layout(const std::string& dir) {
  Layout layout(dir);
  std::string out = "TAG\tDIGEST\tPLATFORM\n";
  for (const auto& e : layout.entries())
    out += (e.tag.empty() ? "<none>" : e.tag) + "\t" + e.desc.digest + "\t" +
           (e.platform.empty() ? "-" : e.platform) + "\n";
  return out;
}

std::string inspect(const Image& img) {
  rapidjson::Document out(rapidjson::kObjectType);
  auto& a = out.GetAllocator();
  auto s = [&](const std::string& v) { return rapidjson::Value(v.c_str(), a); };
  out.AddMember("ref", s(img.ref.text), a);
  out.AddMember("manifest", s(img.manifest.digest), a);
  out.AddMember("mediaType", s(img.manifest.media_type), a);
  out.AddMember("configDigest", s(img.config.digest), a);
  auto cfg = parse_json(img.config_json, "config " + img.config.digest);
  for (const char* key : {"created", "author", "os", "architecture", "variant"}) {
    std::string v = get_string(cfg, key, "config");
    if (!v.empty()) out.AddMember(rapidjson::StringRef(key), s(v), a);
  }
  if (cfg.HasMember("config") && cfg["config"].IsObject())
    out.AddMember("config", rapidjson::Value(cfg["config"], a), a);
  rapidjson::Value layers(rapidjson::kArrayType);
  int64_t total = 0;
  for (const auto& l : img.layers) {
    rapidjson::Value v(rapidjson::kObjectType);
    v.AddMember("digest", s(l.blob.digest), a);
    v.AddMember("size", l.blob.size, a);
    v.AddMember("mediaType", s(l.blob.media_type), a);
    v.AddMember("diffID", s(l.diff_id), a);
    total += l.blob.size > 0 ? l.blob.size : 0;
    layers.PushBack(v, a);
  }
  out.AddMember("size", total, a);
  out.AddMember("layers", layers, a);
  return to_json(out, true) + "\n";
}

}  // namespace hull::image
