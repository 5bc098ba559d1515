// Small RapidJSON helpers whose errors name the document and the field.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace hull::image {

// Parses text through the one JSON reader (json/parse.hpp: nesting limit, positions in errors)
// and requires an object; what names the document in errors ("index.json", "blob sha256:...").
rapidjson::Document parse_json(const std::string& text, const std::string& what);
std::string to_json(const rapidjson::Value& v, bool pretty = false);

// Field access: a missing field is "", empty or null; a field of the wrong type is an Error naming
// what and key.
std::string get_string(const rapidjson::Value& obj, const char* key, const std::string& what);
std::string require_string(const rapidjson::Value& obj, const char* key, const std::string& what);
std::vector<std::string> get_strings(const rapidjson::Value& obj, const char* key,
                                     const std::string& what);
const rapidjson::Value* get_object(const rapidjson::Value& obj, const char* key,
                                   const std::string& what);
const rapidjson::Value* get_array(const rapidjson::Value& obj, const char* key,
                                  const std::string& what);

}  // namespace hull::image
