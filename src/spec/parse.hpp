// Reading config.json (and the process / resources documents of `exec` and `update`) into the
// model. Each function checks the JSON against the embedded schema, then the rules a schema
// cannot express, and throws hull::Error naming the file and JSON pointer of the first problem:
//   config.json: /process/args: expected an array of strings, got a string
#pragma once

#include <string>
#include <string_view>

#include "spec/model.hpp"

namespace hull::spec {

// Reads <bundle_dir>/config.json, validates (schema + semantics) and returns the model.
Spec load_config(const std::string& bundle_dir);

// Parses and validates a whole config; source names the file in error messages.
Spec parse_config(std::string_view json_text, std::string_view source = "config.json");

// The model of a config that parse_config accepted before, byte for byte (the runtime's own
// copy in the state dir, its fingerprint matching): parsed and converted without the schema
// and semantic checks, which gave their answer when it was saved. Never for other input.
Spec parse_checked_config(std::string_view json_text, std::string_view source);

// `exec --process FILE`: one process object, validated like /process of a config.
Process parse_process(std::string_view json_text, std::string_view source);

// `update --resources FILE|-`: one linux resources object.
LinuxResources parse_resources(std::string_view json_text, std::string_view source);

}  // namespace hull::spec
