#include "spec/schema_check.hpp"

#include <rapidjson/pointer.h>
#include <rapidjson/schema.h>
#include <rapidjson/stringbuffer.h>

#include <array>
#include <memory>
#include <string>

#include "hull/error.hpp"
#include "spec/issue.hpp"
#include "spec/json_doc.hpp"

namespace hull::schema {
extern const std::string_view config_schema;
extern const std::string_view state_schema;
}  // namespace hull::schema

namespace hull::spec {
namespace {

using rapidjson::Value;

// The schema's own JSON is kept beside the compiled form: messages read "description", "title",
// "required" and limits from the schema node that failed.
struct Compiled {
  rapidjson::Document source;
  std::unique_ptr<rapidjson::SchemaDocument> schema;
};

rapidjson::Document schema_json(SchemaKind kind) {
  std::string_view text =
      kind == SchemaKind::state ? hull::schema::state_schema : hull::schema::config_schema;
  rapidjson::Document doc;
  doc.Parse(text.data(), text.size());
  if (doc.HasParseError()) throw Error("embedded JSON schema is not valid JSON");
  if (kind == SchemaKind::process || kind == SchemaKind::resources) {
    // A document whose root is one definition of the config schema, so the definitions (and
    // the pointers in messages) stay the same.
    rapidjson::Document sub(rapidjson::kObjectType);
    auto& a = sub.GetAllocator();
    const char* ref =
        kind == SchemaKind::process ? "#/definitions/Process" : "#/definitions/Resources";
    sub.AddMember("$ref", Value(rapidjson::StringRef(ref)), a);
    sub.AddMember("definitions", Value(doc["definitions"], a), a);
    return sub;
  }
  return doc;
}

const Compiled& compiled(SchemaKind kind) {
  static std::array<std::unique_ptr<Compiled>, 4> cache;
  auto& slot = cache[static_cast<size_t>(kind)];
  if (!slot) {
    auto c = std::make_unique<Compiled>();
    c->source = schema_json(kind);
    c->schema = std::make_unique<rapidjson::SchemaDocument>(c->source);
    slot = std::move(c);
  }
  return *slot;
}

std::string pointer_text(const rapidjson::Pointer& p) {
  rapidjson::StringBuffer buf;
  p.Stringify(buf);
  return std::string(buf.GetString(), buf.GetSize());
}

const Value* member(const Value* v, const char* name) {
  if (v == nullptr || !v->IsObject()) return nullptr;
  auto it = v->FindMember(name);
  return it == v->MemberEnd() ? nullptr : &it->value;
}

std::string string_member(const Value* v, const char* name) {
  const Value* m = member(v, name);
  return m != nullptr && m->IsString() ? m->GetString() : "";
}

// A schema that is only a local "$ref" stands for its target.
const Value* resolve(const Value* node, const Value& root) {
  for (int depth = 0; depth < 8; ++depth) {
    const Value* ref = member(node, "$ref");
    if (ref == nullptr || !ref->IsString() || ref->GetString()[0] != '#') return node;
    node = rapidjson::Pointer(ref->GetString() + 1).Get(root);
  }
  return node;
}

std::string enum_list(const Value& values) {
  std::string out;
  for (const auto& v : values.GetArray()) {
    if (!out.empty()) out += ", ";
    out += v.IsString() && v.GetStringLength() > 0 ? v.GetString() : json_text(v);
  }
  return out;
}

// What a schema node accepts, as a noun phrase: "an array of strings", "an integer", ...
std::string expectation(const Value* node, const Value& root) {
  node = resolve(node, root);
  std::string desc = string_member(node, "description");
  if (!desc.empty()) return desc;
  if (const Value* e = member(node, "enum"); e != nullptr && e->IsArray()) {
    return "one of " + enum_list(*e);
  }
  const Value* type = member(node, "type");
  if (type == nullptr || !type->IsString()) return "a valid value";
  std::string t = type->GetString();
  if (t == "string") return "a string";
  if (t == "integer") return "an integer";
  if (t == "number") return "a number";
  if (t == "boolean") return "true or false";
  if (t == "object") return "an object";
  if (t == "array") {
    const Value* items = resolve(member(node, "items"), root);
    if (string_member(items, "type") == "string") return "an array of strings";
    return "an array";
  }
  return t;
}

std::string number_text(const Value* v) {
  return v != nullptr ? json_text(*v) : "?";
}

std::string describe(const char* keyword, const Value* snode, const Value& sroot,
                     const Value* dnode) {
  std::string k = keyword;
  std::string got = dnode != nullptr ? json_kind(*dnode) : "nothing";
  if (k == "type") return "expected " + expectation(snode, sroot) + ", got " + got;
  if (k == "required") {
    if (const Value* req = member(snode, "required"); req != nullptr && dnode != nullptr) {
      for (const auto& name : req->GetArray()) {
        if (!dnode->HasMember(name)) {
          return std::string("missing required member \"") + name.GetString() + "\"";
        }
      }
    }
    return "missing a required member";
  }
  if (k == "enum") {
    const Value* values = member(snode, "enum");
    std::string list = values != nullptr ? enum_list(*values) : "";
    std::string title = string_member(snode, "title");
    if (dnode != nullptr && dnode->IsString() && !title.empty()) {
      return "unknown " + title + " " + json_text(*dnode) + " (expected one of " + list + ")";
    }
    return "expected one of " + list + ", got " + (dnode ? json_text(*dnode) : got);
  }
  if (k == "minimum") {
    return "value " + number_text(dnode) + " is below the minimum " +
           number_text(member(snode, "minimum"));
  }
  if (k == "maximum") {
    return "value " + number_text(dnode) + " is above the maximum " +
           number_text(member(snode, "maximum"));
  }
  if (k == "minLength" || k == "minItems") {
    const Value* n = member(snode, keyword);
    if (n != nullptr && n->IsUint() && n->GetUint() == 1) return "must not be empty";
    return std::string("expected at least ") + number_text(n) +
           (k == "minLength" ? " characters" : " items");
  }
  if (k == "maxLength" || k == "maxItems") {
    return std::string("expected at most ") + number_text(member(snode, keyword)) +
           (k == "maxLength" ? " characters" : " items");
  }
  if (k == "pattern") {
    return "expected " + expectation(snode, sroot) + ", got " + (dnode ? json_text(*dnode) : got);
  }
  if (k == "uniqueItems") return "items must be unique";
  return "does not match the schema (keyword \"" + k + "\")";
}

}  // namespace

void check_schema(const Value& doc, SchemaKind kind, std::string_view source) {
  const Compiled& c = compiled(kind);
  rapidjson::SchemaValidator validator(*c.schema);
  if (doc.Accept(validator)) return;
  rapidjson::Pointer dptr = validator.GetInvalidDocumentPointer();
  rapidjson::Pointer sptr = validator.GetInvalidSchemaPointer();
  const Value* dnode = dptr.Get(doc);
  const Value* snode = sptr.Get(c.source);
  fail(source, pointer_text(dptr),
       describe(validator.GetInvalidSchemaKeyword(), snode, c.source, dnode));
}

void check_state_json(std::string_view json_text_in, std::string_view source) {
  rapidjson::Document doc = parse_json(json_text_in, source);
  check_schema(doc, SchemaKind::state, source);
}

}  // namespace hull::spec
