// JSON text to a RapidJSON document, with errors that say where in the text the problem is.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace hull::spec {

// Parses UTF-8 JSON text through the one reader (json/parse.hpp: nesting limit, positions in
// errors), refusing invalid UTF-8 as every config-family document must.
rapidjson::Document parse_json(std::string_view text, std::string_view source);

// Removes every object member whose value is null, recursively. Go's encoding/json (runc, the
// engines) treats null as "absent", and podman sends e.g. "listenerPath": null.
void drop_nulls(rapidjson::Value& value);

// "a string", "an array", "null", ... for messages like "expected X, got <kind>".
std::string json_kind(const rapidjson::Value& value);

// The value as short JSON text for messages ("-1", "\"foo\"").
std::string json_text(const rapidjson::Value& value);

}  // namespace hull::spec
