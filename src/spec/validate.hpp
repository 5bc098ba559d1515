// Rules of the runtime-spec that a JSON Schema cannot express: absolute paths, known and unique
// names, consistency between sections. Each throws hull::Error "<source>: <pointer>: <what>".
#pragma once

#include <rapidjson/document.h>

#include <string_view>

#include "spec/model.hpp"

namespace hull::spec {

// Refuses any string or member name holding a NUL (an escaped \u0000): every string of the
// config reaches a C interface that would silently cut it there ("rootfs\u0000/../.." would
// become "rootfs"). The error names the JSON pointer. For config, process and resources files.
void check_no_nul(const rapidjson::Value& doc, std::string_view source);

// Checks on the JSON itself, for rules where absence matters and the model cannot tell absent
// from zero (device major/minor). Run after the schema check, before conversion.
void check_config_json(const rapidjson::Value& doc, std::string_view source);

void validate_spec(const Spec& spec, std::string_view source);

// base is the pointer of the process object: "/process" in a config, "" in a process file.
void validate_process(const Process& process, std::string_view source, std::string_view base);

// base is "/linux/resources" in a config, "" in a resources file.
void validate_resources(const LinuxResources& resources, std::string_view source,
                        std::string_view base);

}  // namespace hull::spec
