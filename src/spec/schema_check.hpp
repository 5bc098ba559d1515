// Validation against the JSON Schemas in schema/, compiled into the binary. Each schema is
// compiled at most once per process, on first use (hull validates one config per run).
#pragma once

#include <rapidjson/document.h>

#include <string_view>

namespace hull::spec {

// Which document a schema describes. process and resources are the Process and Resources
// definitions of the config schema, used for `exec --process` and `update --resources`.
enum class SchemaKind { config, process, resources, state };

// Throws hull::Error "<source>: <pointer>: <what was expected>" for the first violation.
void check_schema(const rapidjson::Value& doc, SchemaKind kind, std::string_view source);

// Parses and checks an OCI state document (the output of `hull state`).
void check_state_json(std::string_view json_text, std::string_view source);

}  // namespace hull::spec
