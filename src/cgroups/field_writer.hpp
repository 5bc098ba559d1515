// Writes resource values into cgroup files; every failure names the config field it came from
// ("config.json: /linux/resources/memory/limit: ...") and says what the kernel refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "linux/fd.hpp"

namespace hull {
class Error;
}

namespace hull::cgroups {

class FieldWriter {
 public:
  // origin: where the resources came from, e.g. "config.json: /linux/resources".
  explicit FieldWriter(std::string origin) : origin_(std::move(origin)) {}

  void write(const std::string& dir, const std::string& field, const std::string& file,
             const std::string& value) const;
  // The same in two steps, for a file that takes many values one write each (devices.allow):
  // open once, then write each value to the fd. Failures read as write()'s.
  linux_::Fd open(const std::string& dir, const std::string& field, const std::string& file) const;
  void write(int fd, const std::string& dir, const std::string& field, const std::string& file,
             const std::string& value) const;
  std::string read(const std::string& dir, const std::string& field, const std::string& file) const;
  [[noreturn]] void fail(const std::string& field, const std::string& message) const;
  void warn(const std::string& field, const std::string& message) const;
  // Limits take -1 for "unlimited" or a count; the kernel reads other negatives as unlimited
  // too, which would hide a typo, so they are refused here.
  void require_limit(const std::string& field, const std::optional<int64_t>& v) const;
  std::string where(const std::string& field) const;

 private:
  [[noreturn]] void lacks(const std::string& field, const std::string& file) const;
  [[noreturn]] void refused(const Error& e, const std::string& dir, const std::string& field,
                            const std::string& file, const std::string& value) const;
  std::string origin_;
};

}  // namespace hull::cgroups
