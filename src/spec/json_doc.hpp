// JSON text to a RapidJSON document, with errors that say where in the text the problem is.
#pragma once

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace hull::spec {

// Parses UTF-8 JSON text. On error throws hull::Error
// "<source>: invalid JSON at offset N (line L, column C): <reason>".
rapidjson::Document parse_json(std::string_view text, std::string_view source);

// Removes every object member whose value is null, recursively. Go's encoding/json (runc, the
// engines) treats null as "absent", and podman sends e.g. "listenerPath": null.
void drop_nulls(rapidjson::Value& value);

// "a string", "an array", "null", ... for messages like "expected X, got <kind>".
std::string json_kind(const rapidjson::Value& value);

// The value as short JSON text for messages ("-1", "\"foo\"").
std::string json_text(const rapidjson::Value& value);

// Reads a whole file; a failure names the path and the errno.
std::string read_file(const std::string& path);

}  // namespace hull::spec
