#include "cli/log.hpp"

#include <fcntl.h>

#include "hull/error.hpp"
#include "hull/warn.hpp"
#include "linux/sys.hpp"

namespace hull::cli {
namespace {

bool g_debug = false;

}  // namespace

void log_setup(const std::string& file, const std::string& format, bool debug) {
  if (format != "text" && format != "json") {
    throw Error("--log-format: expected text or json, got \"" + format + "\"");
  }
  if (file.empty()) return;
  // Open for the whole life of the process (the kernel closes it at exit); CLOEXEC so that
  // hooks and the container's process never inherit it.
  linux_::Fd fd = with_context("--log", [&] {
    return linux_::sys::openat(AT_FDCWD, file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
                               0644);
  });
  g_log_sink.fd = fd.release();
  g_log_sink.format = format == "json" ? LogFormat::kJson : LogFormat::kText;
  g_debug = debug;
}

void log_error(const std::string& msg) {
  log_write("error", msg);
}

void log_debug(const std::string& msg) {
  if (g_debug) log_write("debug", msg);
}

}  // namespace hull::cli
