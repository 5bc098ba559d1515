#include "spec/parse.hpp"

#include "json/limits.hpp"
#include "linux/bounded_read.hpp"
#include "spec/convert.hpp"
#include "spec/json_doc.hpp"
#include "spec/schema_check.hpp"
#include "spec/validate.hpp"

namespace hull::spec {

Spec load_config(const std::string& bundle_dir) {
  std::string path = bundle_dir.empty() ? "config.json" : bundle_dir + "/config.json";
  return parse_config(linux_::read_file_bounded(path, json::kSpecBytes), path);
}

Spec parse_config(std::string_view json_text, std::string_view source) {
  rapidjson::Document doc = parse_json(json_text, source);
  drop_nulls(doc);
  check_no_nul(doc, source);
  check_schema(doc, SchemaKind::config, source);
  check_config_json(doc, source);
  Spec spec = to_spec(doc);
  validate_spec(spec, source);
  return spec;
}

Spec parse_checked_config(std::string_view json_text, std::string_view source) {
  rapidjson::Document doc = parse_json(json_text, source);
  drop_nulls(doc);
  return to_spec(doc);
}

Process parse_process(std::string_view json_text, std::string_view source) {
  rapidjson::Document doc = parse_json(json_text, source);
  drop_nulls(doc);
  check_no_nul(doc, source);
  check_schema(doc, SchemaKind::process, source);
  Process process = to_process(doc);
  validate_process(process, source, "");
  return process;
}

LinuxResources parse_resources(std::string_view json_text, std::string_view source) {
  rapidjson::Document doc = parse_json(json_text, source);
  drop_nulls(doc);
  check_no_nul(doc, source);
  check_schema(doc, SchemaKind::resources, source);
  LinuxResources resources = to_resources(doc);
  validate_resources(resources, source, "");
  return resources;
}

}  // namespace hull::spec
