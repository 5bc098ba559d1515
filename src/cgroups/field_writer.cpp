#include "cgroups/field_writer.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/files.hpp"
#include "linux/kernel.hpp"

namespace hull::cgroups {

std::string FieldWriter::where(const std::string& field) const {
  return field.empty() ? origin_ : origin_ + "/" + field;
}

void FieldWriter::lacks(const std::string& field, const std::string& file) const {
  throw Error(where(field) + ": this host's cgroup has no " + file +
              " (the kernel or the controller lacks it)");
}

void FieldWriter::refused(const Error& e, const std::string& dir, const std::string& field,
                          const std::string& file, const std::string& value) const {
  if (e.code() == ENOENT || e.code() == EACCES) lacks(field, file);
  throw Error(where(field) + ": the kernel refused \"" + value + "\" for " + dir + "/" + file,
              e.code());
}

linux_::Fd FieldWriter::open(const std::string& dir, const std::string& field,
                             const std::string& file) const {
  std::string path = dir + "/" + file;
  linux_::Fd fd(linux_::kernel().openat(AT_FDCWD, path.c_str(), O_WRONLY | O_CLOEXEC, 0));
  if (!fd) {
    if (errno == ENOENT || errno == EACCES) lacks(field, file);
    throw Error::sys(where(field) + ": opening " + path);
  }
  return fd;
}

void FieldWriter::write(int fd, const std::string& dir, const std::string& field,
                        const std::string& file, const std::string& value) const {
  try {
    linux_::write_all(fd, value, dir + "/" + file);
  } catch (const Error& e) {
    refused(e, dir, field, file, value);
  }
}

void FieldWriter::write(const std::string& dir, const std::string& field, const std::string& file,
                        const std::string& value) const {
  try {
    linux_::write_file(dir + "/" + file, value);
  } catch (const Error& e) {
    refused(e, dir, field, file, value);
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
