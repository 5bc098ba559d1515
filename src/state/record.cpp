#include "state/record.hpp"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "hull/error.hpp"
#include "json/parse.hpp"

namespace hull::state {
namespace {

template <typename Writer>
void write_string_map(Writer& w, const std::map<std::string, std::string>& a) {
  w.StartObject();
  for (const auto& [k, v] : a) {
    w.Key(k.c_str(), static_cast<rapidjson::SizeType>(k.size()));
    w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
  }
  w.EndObject();
}

template <typename Writer>
void str(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string get_string(const rapidjson::Value& doc, const char* key) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

std::string to_json(const Record& r) {
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> w(out);
  w.StartObject();
  str(w, "id", r.id);
  str(w, "bundle", r.bundle);
  str(w, "rootfs", r.rootfs);
  str(w, "created", r.created);
  str(w, "owner", r.owner);
  w.Key("pid");
  w.Int(r.pid);
  w.Key("start_time");
  w.Uint64(r.start_time);
  str(w, "cgroup_path", r.cgroup_path);
  w.Key("systemd_cgroup");
  w.Bool(r.systemd_cgroup);
  w.Key("cgroup_dirs");
  w.StartArray();
  for (const auto& h : r.cgroup_dirs) {
    w.StartArray();
    for (const auto& part : h)
      w.String(part.c_str(), static_cast<rapidjson::SizeType>(part.size()));
    w.EndArray();
  }
  w.EndArray();
  w.Key("annotations");
  write_string_map(w, r.annotations);
  if (r.creating) {
    w.Key("creating");
    w.Bool(true);
  }
  if (r.shared_cgroup) {
    w.Key("shared_cgroup");
    w.Bool(true);
  }
  if (!r.checked.empty()) {
    w.Key("checked");
    write_string_map(w, r.checked);
  }
  w.EndObject();
  return std::string(out.GetString(), out.GetSize());
}

Record from_json(const std::string& text, const std::string& source) {
  // Through the one reader: a hostile or damaged file (deep nesting) is an error naming it.
  rapidjson::Document doc = json::parse(text, source + ": corrupt state file");
  if (!doc.IsObject()) throw Error(source + ": corrupt state file: not a JSON object");
  Record r;
  r.id = get_string(doc, "id");
  r.bundle = get_string(doc, "bundle");
  r.rootfs = get_string(doc, "rootfs");
  r.created = get_string(doc, "created");
  r.owner = get_string(doc, "owner");
  r.cgroup_path = get_string(doc, "cgroup_path");
  if (auto it = doc.FindMember("pid"); it != doc.MemberEnd() && it->value.IsInt()) {
    r.pid = it->value.GetInt();
  }
  if (auto it = doc.FindMember("start_time"); it != doc.MemberEnd() && it->value.IsUint64()) {
    r.start_time = it->value.GetUint64();
  }
  if (auto it = doc.FindMember("systemd_cgroup"); it != doc.MemberEnd() && it->value.IsBool()) {
    r.systemd_cgroup = it->value.GetBool();
  }
  for (auto [key, field] :
       {std::pair{"creating", &r.creating}, {"shared_cgroup", &r.shared_cgroup}}) {
    if (auto it = doc.FindMember(key); it != doc.MemberEnd() && it->value.IsBool()) {
      *field = it->value.GetBool();
    }
  }
  if (auto it = doc.FindMember("cgroup_dirs"); it != doc.MemberEnd() && it->value.IsArray()) {
    for (const auto& h : it->value.GetArray()) {
      if (!h.IsArray() || h.Size() != 3 || !h[0].IsString() || !h[1].IsString() ||
          !h[2].IsString()) {
        continue;
      }
      r.cgroup_dirs.push_back({h[0].GetString(), h[1].GetString(), h[2].GetString()});
    }
  }
  for (auto [key, map] : {std::pair{"annotations", &r.annotations}, {"checked", &r.checked}}) {
    if (auto it = doc.FindMember(key); it != doc.MemberEnd() && it->value.IsObject()) {
      for (const auto& m : it->value.GetObject()) {
        if (m.value.IsString()) (*map)[m.name.GetString()] = m.value.GetString();
      }
    }
  }
  return r;
}

std::string oci_state_json(const Record& r, const std::string& status, bool pretty) {
  auto write = [&](auto& w) {
    w.StartObject();
    str(w, "ociVersion", "1.2.0");
    str(w, "id", r.id);
    str(w, "status", status);
    w.Key("pid");
    w.Int(status == "stopped" ? 0 : r.pid);
    str(w, "bundle", r.bundle);
    str(w, "rootfs", r.rootfs);
    str(w, "created", r.created);
    if (!r.owner.empty()) str(w, "owner", r.owner);
    if (!r.annotations.empty()) {
      w.Key("annotations");
      write_string_map(w, r.annotations);
    }
    w.EndObject();
  };
  rapidjson::StringBuffer out;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(out);
    w.SetIndent(' ', 2);
    write(w);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    write(w);
  }
  return std::string(out.GetString(), out.GetSize());
}

}  // namespace hull::state
