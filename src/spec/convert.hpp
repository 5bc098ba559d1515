// Copies a schema-checked JSON document into the typed model. The schema already guaranteed
// every type and range, so conversion cannot fail; members the model does not know are skipped.
#pragma once

#include <rapidjson/document.h>

#include "spec/model.hpp"

namespace hull::spec {

Spec to_spec(const rapidjson::Value& doc);
Process to_process(const rapidjson::Value& doc);
LinuxResources to_resources(const rapidjson::Value& doc);

}  // namespace hull::spec
