// runc-compatible logging: nothing unless --log is given (and then a synchronous file sink),
// in text or JSON lines {"level","msg","time"} as containerd and podman read them.
#pragma once

#include <string>

namespace hull::cli {

void log_setup(const std::string& file, const std::string& format, bool debug);
void log_error(const std::string& msg);
void log_warning(const std::string& msg);
void log_debug(const std::string& msg);

}  // namespace hull::cli
