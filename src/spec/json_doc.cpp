#include "spec/json_doc.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "json/parse.hpp"

namespace hull::spec {

rapidjson::Document parse_json(std::string_view text, std::string_view source) {
  return json::parse(text, source, {.validate_utf8 = true});
}

void drop_nulls(rapidjson::Value& value) {
  if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd();) {
      if (it->value.IsNull()) {
        it = value.EraseMember(it);
      } else {
        drop_nulls(it->value);
        ++it;
      }
    }
  } else if (value.IsArray()) {
    for (auto& item : value.GetArray()) drop_nulls(item);
  }
}

std::string json_kind(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return value.IsDouble() ? "a fractional number" : "an integer";
  }
  return "a value";
}

std::string json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  value.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace hull::spec
