#include "image/json.hpp"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hull/error.hpp"
#include "json/parse.hpp"

namespace hull::image {

rapidjson::Document parse_json(const std::string& text, const std::string& what) {
  rapidjson::Document doc = json::parse(text, what);
  if (!doc.IsObject()) throw Error(what + ": not a JSON object");
  return doc;
}

std::string to_json(const rapidjson::Value& v, bool pretty) {
  rapidjson::StringBuffer buf;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    v.Accept(w);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    v.Accept(w);
  }
  return std::string(buf.GetString(), buf.GetSize());
}

namespace {
const rapidjson::Value* member(const rapidjson::Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}
}  // namespace

std::string get_string(const rapidjson::Value& obj, const char* key, const std::string& what) {
  const auto* v = member(obj, key);
  if (v == nullptr) return {};
  if (!v->IsString()) throw Error(what + ": field \"" + key + "\" must be a string");
  return std::string(v->GetString(), v->GetStringLength());
}

std::string require_string(const rapidjson::Value& obj, const char* key, const std::string& what) {
  std::string s = get_string(obj, key, what);
  if (s.empty()) throw Error(what + ": field \"" + key + "\" is missing");
  return s;
}

std::vector<std::string> get_strings(const rapidjson::Value& obj, const char* key,
                                     const std::string& what) {
  std::vector<std::string> out;
  const auto* v = member(obj, key);
  if (v == nullptr) return out;
  if (!v->IsArray()) throw Error(what + ": field \"" + key + "\" must be an array of strings");
  for (const auto& e : v->GetArray()) {
    if (!e.IsString()) throw Error(what + ": field \"" + key + "\" must be an array of strings");
    out.emplace_back(e.GetString(), e.GetStringLength());
  }
  return out;
}

const rapidjson::Value* get_object(const rapidjson::Value& obj, const char* key,
                                   const std::string& what) {
  const auto* v = member(obj, key);
  if (v != nullptr && !v->IsObject())
    throw Error(what + ": field \"" + key + "\" must be an object");
  return v;
}

const rapidjson::Value* get_array(const rapidjson::Value& obj, const char* key,
                                  const std::string& what) {
  const auto* v = member(obj, key);
  if (v != nullptr && !v->IsArray()) throw Error(what + ": field \"" + key + "\" must be an array");
  return v;
}

}  // namespace hull::image
