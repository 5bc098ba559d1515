// runc-compatible logging (the rules are in hull/warn.hpp): nothing is written unless --log
// is given, and then to an fd opened here, O_APPEND and O_CLOEXEC.
#pragma once

#include <string>

namespace hull::cli {

void log_setup(const std::string& file, const std::string& format, bool debug);
// Records the command's own failure in the --log file (main also prints it on stderr).
void log_error(const std::string& msg);
// With --debug and --log only.
void log_debug(const std::string& msg);

}  // namespace hull::cli
