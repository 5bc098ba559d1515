#include "cli/log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/details/os.h>
#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>

#include <chrono>
#include <memory>

#include "hull/error.hpp"

namespace hull::cli {
namespace {

std::shared_ptr<spdlog::logger> g_logger;

const char* level_name(spdlog::level::level_enum l) {
  switch (l) {
    case spdlog::level::err:
      return "error";
    case spdlog::level::warn:
      return "warning";
    case spdlog::level::debug:
    case spdlog::level::trace:
      return "debug";
    default:
      return "info";
  }
}

std::string rfc3339(spdlog::log_clock::time_point t) {
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(t);
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(t - secs).count();
  std::time_t tt = spdlog::log_clock::to_time_t(t);
  std::tm tm = spdlog::details::os::gmtime(tt);
  char buf[64], out[96];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(out, sizeof(out), "%s.%09lldZ", buf, static_cast<long long>(nanos));
  return out;
}

// One JSON object per line, with the message escaped by RapidJSON.
class JsonFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    w.Key("level");
    w.String(level_name(msg.level));
    w.Key("msg");
    w.String(msg.payload.data(), static_cast<rapidjson::SizeType>(msg.payload.size()));
    w.Key("time");
    w.String(rfc3339(msg.time).c_str());
    w.EndObject();
    dest.append(sb.GetString(), sb.GetString() + sb.GetSize());
    dest.push_back('\n');
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }
};

class TextFormatter : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string line = "time=\"" + rfc3339(msg.time) + "\" level=" + level_name(msg.level) +
                       " msg=\"" + std::string(msg.payload.data(), msg.payload.size()) + "\"\n";
    dest.append(line.data(), line.data() + line.size());
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<TextFormatter>();
  }
};

}  // namespace

void log_setup(const std::string& file, const std::string& format, bool debug) {
  if (format != "text" && format != "json") {
    throw Error("--log-format: expected text or json, got \"" + format + "\"");
  }
  if (file.empty()) return;
  auto sink = std::make_shared<spdlog::sinks::basic_file_sink_st>(file, false);
  g_logger = std::make_shared<spdlog::logger>("hull", sink);
  if (format == "json") {
    g_logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    g_logger->set_formatter(std::make_unique<TextFormatter>());
  }
  g_logger->set_level(debug ? spdlog::level::debug : spdlog::level::info);
  g_logger->flush_on(spdlog::level::trace);
}

void log_error(const std::string& msg) {
  if (g_logger) g_logger->error(msg);
}

void log_warning(const std::string& msg) {
  if (g_logger) g_logger->warn(msg);
}

void log_debug(const std::string& msg) {
  if (g_logger) g_logger->debug(msg);
}

}  // namespace hull::cli
