#include "spec/schema_check.hpp"

#include <rapidjson/internal/regex.h>
#include <rapidjson/pointer.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

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

using Regex = rapidjson::internal::GenericRegex<rapidjson::UTF8<>>;

// The schema's JSON, interpreted where the document goes (schema_walk below) rather than
// compiled whole: RapidJSON's SchemaDocument built every definition of the 22 kB config schema
// on each run (about 6 M instructions and 600 kB, 70% of create's own CPU), while a config
// visits a few dozen nodes. The regexes of "pattern" are compiled on first use.
struct Compiled {
  rapidjson::Document source;
  std::vector<std::pair<const Value*, std::unique_ptr<Regex>>> patterns;
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

Compiled& compiled(SchemaKind kind) {
  static std::array<std::unique_ptr<Compiled>, 4> cache;
  auto& slot = cache[static_cast<size_t>(kind)];
  if (!slot) {
    auto c = std::make_unique<Compiled>();
    c->source = schema_json(kind);
    slot = std::move(c);
  }
  return *slot;
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

// a compared with b, both numbers: exact for integers (as RapidJSON's CheckInt and CheckUint),
// as doubles when either is one (its CheckDouble*).
int compare_numbers(const Value& a, const Value& b) {
  if (!a.IsDouble() && !b.IsDouble()) {
    if (a.IsInt64() && b.IsInt64()) {
      return a.GetInt64() < b.GetInt64() ? -1 : a.GetInt64() > b.GetInt64() ? 1 : 0;
    }
    if (a.IsUint64() && b.IsUint64()) {
      return a.GetUint64() < b.GetUint64() ? -1 : a.GetUint64() > b.GetUint64() ? 1 : 0;
    }
    return a.IsInt64() ? -1 : 1;  // one is negative, the other above INT64_MAX
  }
  double x = a.GetDouble();
  double y = b.GetDouble();
  return x < y ? -1 : x > y ? 1 : 0;
}

bool has_type(std::string_view t, const Value& d) {
  if (t == "object") return d.IsObject();
  if (t == "array") return d.IsArray();
  if (t == "string") return d.IsString();
  if (t == "boolean") return d.IsBool();
  if (t == "null") return d.IsNull();
  if (t == "integer") return d.IsNumber() && !d.IsDouble();
  if (t == "number") return d.IsNumber();
  return false;
}

bool type_allows(const Value* type, const Value& d) {
  if (type == nullptr) return true;
  if (type->IsString()) return has_type(type->GetString(), d);
  if (!type->IsArray()) return true;
  for (const auto& t : type->GetArray()) {
    if (t.IsString() && has_type(t.GetString(), d)) return true;
  }
  return false;
}

// Code points of a string, false where it is not UTF-8 (then minLength is not checked).
bool code_points(const Value& s, size_t& count) {
  rapidjson::StringStream is(s.GetString());
  const char* end = s.GetString() + s.GetStringLength();
  count = 0;
  while (is.src_ < end) {
    unsigned cp = 0;
    if (!rapidjson::UTF8<>::Decode(is, &cp)) return false;
    ++count;
  }
  return true;
}

void append_token(std::string& path, std::string_view token) {
  path += '/';
  for (char ch : token) {
    if (ch == '~') {
      path += "~0";
    } else if (ch == '/') {
      path += "~1";
    } else {
      path += ch;
    }
  }
}

// One pass over the document, checking each value against its schema node in the order of
// RapidJSON's validator (the one this replaces): an object's type, its members in document
// order, then "required"; an array's type, its items, then "minItems"; a scalar's type, its
// bounds, length and pattern; "enum" last. It stops at the first violation, so the message is
// the one RapidJSON gave. The schemas use only these keywords (tests/spec/errors_test covers
// each).
class SchemaWalk {
 public:
  explicit SchemaWalk(Compiled& c) : c_(c) {}

  bool check(const Value* schema, const Value& d) {
    const Value* s = resolve(schema, c_.source);
    if (s == nullptr || !s->IsObject()) return true;
    if (!type_allows(member(s, "type"), d)) return fail("type", s, d);
    if (d.IsObject()) {
      if (!check_object(s, d)) return false;
    } else if (d.IsArray()) {
      if (!check_array(s, d)) return false;
    } else if (d.IsNumber()) {
      if (const Value* min = member(s, "minimum");
          min && min->IsNumber() && compare_numbers(d, *min) < 0) {
        return fail("minimum", s, d);
      }
      if (const Value* max = member(s, "maximum");
          max && max->IsNumber() && compare_numbers(d, *max) > 0) {
        return fail("maximum", s, d);
      }
    } else if (d.IsString()) {
      size_t n = 0;
      if (const Value* min = member(s, "minLength");
          min && min->IsUint64() && code_points(d, n) && n < min->GetUint64()) {
        return fail("minLength", s, d);
      }
      if (const Value* p = member(s, "pattern"); p && p->IsString()) {
        const Regex* re = pattern(*p);
        if (re != nullptr && !re->Search(d.GetString())) return fail("pattern", s, d);
      }
    }
    if (const Value* e = member(s, "enum"); e && e->IsArray()) {
      bool found = false;
      for (const auto& v : e->GetArray()) found = found || v == d;
      if (!found) return fail("enum", s, d);
    }
    return true;
  }

  std::string path;  // the JSON pointer of the value being checked, then of the violation
  const char* keyword = nullptr;
  const Value* snode = nullptr;
  const Value* dnode = nullptr;

 private:
  bool fail(const char* k, const Value* s, const Value& d) {
    keyword = k;
    snode = s;
    dnode = &d;
    return false;
  }

  bool check_object(const Value* s, const Value& d) {
    const Value* props = member(s, "properties");
    const Value* extra = member(s, "additionalProperties");
    for (const auto& m : d.GetObject()) {
      size_t mark = path.size();
      append_token(path, std::string_view(m.name.GetString(), m.name.GetStringLength()));
      const Value* sub = member(props, m.name.GetString());
      if (sub == nullptr && extra != nullptr) {
        if (extra->IsObject()) {
          sub = extra;
        } else if (extra->IsBool() && !extra->GetBool()) {
          return fail("additionalProperties", s, d);
        }
      }
      if (sub != nullptr && !check(sub, m.value)) return false;
      path.resize(mark);
    }
    if (const Value* req = member(s, "required"); req && req->IsArray()) {
      for (const auto& name : req->GetArray()) {
        if (name.IsString() && !d.HasMember(name)) return fail("required", s, d);
      }
    }
    return true;
  }

  bool check_array(const Value* s, const Value& d) {
    const Value* items = member(s, "items");
    for (rapidjson::SizeType i = 0; i < d.Size(); ++i) {
      size_t mark = path.size();
      append_token(path, std::to_string(i));
      if (items != nullptr && items->IsObject() && !check(items, d[i])) return false;
      path.resize(mark);
    }
    if (const Value* min = member(s, "minItems");
        min && min->IsUint64() && d.Size() < min->GetUint64()) {
      return fail("minItems", s, d);
    }
    return true;
  }

  const Regex* pattern(const Value& p) {
    for (const auto& [node, re] : c_.patterns) {
      if (node == &p) return re.get();
    }
    auto re = std::make_unique<Regex>(p.GetString());
    if (!re->IsValid()) re.reset();  // RapidJSON ignores a pattern it cannot compile
    c_.patterns.emplace_back(&p, std::move(re));
    return c_.patterns.back().second.get();
  }

  Compiled& c_;
};

}  // namespace

void check_schema(const Value& doc, SchemaKind kind, std::string_view source) {
  Compiled& c = compiled(kind);
  SchemaWalk walk(c);
  if (walk.check(&c.source, doc)) return;
  fail(source, walk.path, describe(walk.keyword, walk.snode, c.source, walk.dnode));
}

void check_state_json(std::string_view json_text_in, std::string_view source) {
  rapidjson::Document doc = parse_json(json_text_in, source);
  check_schema(doc, SchemaKind::state, source);
}

}  // namespace hull::spec
