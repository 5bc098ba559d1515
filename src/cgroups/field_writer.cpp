#include "cgroups/field_writer.hpp"

#include <unistd.h>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/files.hpp"

namespace hull::cgroups {

std::string FieldWriter::where(const std::string& field) const {
  return field.empty() ? origin_ : origin_ + "/" + field;
}

void FieldWriter::write(const std::string& dir, const std::string& field, const std::string& file,
                        const std::string& value) const {
  std::string path = dir + "/" + file;
  try {
    linux_::write_file(path, value);
  } catch (const Error& e) {
    if (e.code() == ENOENT || e.code() == EACCES) {
      throw Error(where(field) + ": this host's cgroup has no " + file +
                  " (the kernel or the controller lacks it)");
    }
    throw Error(where(field) + ": the kernel refused \"" + value + "\" for " + path, e.code());
  }
}

std::string FieldWriter::read(const std::string& dir, const std::string& field,
                              const std::string& file) const {
  try {
    return linux_::read_file(dir + "/" + file);
  } catch (Error& e) {
    e.context(where(field));
    throw;
  }
}

void FieldWriter::fail(const std::string& field, const std::string& message) const {
  throw Error(where(field) + ": " + message);
}

void FieldWriter::warn(const std::string& field, const std::string& message) const {
  hull::warn(where(field) + ": " + message);
}

void FieldWriter::require_limit(const std::string& field, const std::optional<int64_t>& v) const {
  if (v && *v < -1) {
    fail(field, std::to_string(*v) + " is invalid: expected -1 (unlimited) or a positive value");
  }
}

}  // namespace hull::cgroups
