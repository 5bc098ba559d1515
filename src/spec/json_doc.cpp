#include "spec/json_doc.hpp"

#include <fcntl.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "hull/error.hpp"

namespace hull::spec {

rapidjson::Document parse_json(std::string_view text, std::string_view source) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (!doc.HasParseError()) return doc;
  size_t offset = std::min(doc.GetErrorOffset(), text.size());
  size_t line = 1 + std::count(text.begin(), text.begin() + offset, '\n');
  size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  size_t column =
      line_start == std::string_view::npos || offset == 0 ? offset + 1 : offset - line_start;
  throw Error(std::string(source) + ": invalid JSON at offset " + std::to_string(offset) +
              " (line " + std::to_string(line) + ", column " + std::to_string(column) +
              "): " + rapidjson::GetParseError_En(doc.GetParseError()));
}

void drop_nulls(rapidjson::Value& value) {
  if (value.IsObject()) {
    for (auto it = value.MemberBegin(); it != value.MemberEnd();) {
      if (it->value.IsNull()) {
        it = value.EraseMember(it);
      } else {
        drop_nulls(it->value);
        ++it;
      }
    }
  } else if (value.IsArray()) {
    for (auto& item : value.GetArray()) drop_nulls(item);
  }
}

std::string json_kind(const rapidjson::Value& value) {
  switch (value.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "a boolean";
    case rapidjson::kObjectType:
      return "an object";
    case rapidjson::kArrayType:
      return "an array";
    case rapidjson::kStringType:
      return "a string";
    case rapidjson::kNumberType:
      return value.IsDouble() ? "a fractional number" : "an integer";
  }
  return "a value";
}

std::string json_text(const rapidjson::Value& value) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
  value.Accept(writer);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string read_file(const std::string& path) {
  struct Fd {
    int fd;
    ~Fd() {
      if (fd >= 0) ::close(fd);
    }
  } file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) throw Error::sys("opening " + path);
  std::string text;
  struct stat st {};
  if (::fstat(file.fd, &st) == 0 && st.st_size > 0) text.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(file.fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error::sys("reading " + path);
    if (n == 0) return text;
    text.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace hull::spec
