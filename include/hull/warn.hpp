// Where diagnostics go, by runc's rules: with --log, every record (warnings, the command's
// error, debug lines) goes to that file only, one line each in its format: text
// (time="..." level=warning msg="...") or json ({"level","msg","time"}, as containerd and
// podman read them); without --log, warnings go to stderr. During create and exec stderr is
// the container's stdio, which is why a warning never goes there when a log file exists.
//
// One preformatted line per plain write(2), so the init can warn between clone and execve:
// it inherits the sink, and the fd is O_CLOEXEC, so the container's process never holds it.
#pragma once

#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace hull {

enum class LogFormat { kText, kJson };

struct LogSink {
  int fd = -1;  // the --log file; -1 when none was given
  LogFormat format = LogFormat::kText;
};

// Set once by the CLI (cli/log.cpp) before any command runs.
inline LogSink g_log_sink;

namespace log_detail {

// A double-quoted string with JSON escapes (also what logrus's text format accepts).
inline void append_quoted(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof(esc), "\\u%04x", c);
          out += esc;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

// RFC 3339 in UTC with nanoseconds.
inline std::string now_rfc3339() {
  struct timespec ts;
  ::clock_gettime(CLOCK_REALTIME, &ts);
  struct tm tm;
  ::gmtime_r(&ts.tv_sec, &tm);
  char buf[64];
  size_t n = ::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof(buf) - n, ".%09ldZ", static_cast<long>(ts.tv_nsec));
  return buf;
}

}  // namespace log_detail

// One record, newline included. level: "error", "warning", "info" or "debug".
inline std::string log_record(LogFormat format, std::string_view level, std::string_view msg) {
  std::string out;
  if (format == LogFormat::kJson) {
    out += "{\"level\":";
    log_detail::append_quoted(out, level);
    out += ",\"msg\":";
    log_detail::append_quoted(out, msg);
    out += ",\"time\":";
    log_detail::append_quoted(out, log_detail::now_rfc3339());
    out += "}\n";
  } else {
    out += "time=";
    log_detail::append_quoted(out, log_detail::now_rfc3339());
    out.append(" level=").append(level).append(" msg=");
    log_detail::append_quoted(out, msg);
    out += '\n';
  }
  return out;
}

// Writes a record to the --log file; false when there is none.
inline bool log_write(std::string_view level, std::string_view msg) {
  if (g_log_sink.fd < 0) return false;
  std::string r = log_record(g_log_sink.format, level, msg);
  (void)!::write(g_log_sink.fd, r.data(), r.size());
  return true;
}

inline void warn(const std::string& msg) {
  if (log_write("warning", msg)) return;
  std::string line = "hull: warning: " + msg + "\n";
  (void)!::write(2, line.data(), line.size());
}

}  // namespace hull
