#include "cgroups/stats.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <sstream>

namespace hull::cgroups {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void u64(Writer& w, const char* key, uint64_t v) {
  w.Key(key);
  w.Uint64(v);
}

void u64_array(Writer& w, const char* key, const std::vector<uint64_t>& vs) {
  w.Key(key);
  w.StartArray();
  for (uint64_t v : vs) w.Uint64(v);
  w.EndArray();
}

void memory_entry(Writer& w, const char* key, const MemoryEntry& e) {
  w.Key(key);
  w.StartObject();
  u64(w, "limit", e.limit);
  u64(w, "usage", e.usage);
  u64(w, "max", e.max);
  u64(w, "failcnt", e.failcnt);
  w.EndObject();
}

void blkio_list(Writer& w, const char* key, const std::vector<BlkioEntry>& es) {
  w.Key(key);
  w.StartArray();
  for (const auto& e : es) {
    w.StartObject();
    u64(w, "major", e.major);
    u64(w, "minor", e.minor);
    w.Key("op");
    w.String(e.op.c_str());
    u64(w, "value", e.value);
    w.EndObject();
  }
  w.EndArray();
}

void write_data(Writer& w, const Stats& s) {
  w.StartObject();
  w.Key("cpu");
  w.StartObject();
  w.Key("usage");
  w.StartObject();
  u64(w, "total", s.cpu_usage.total);
  u64_array(w, "percpu", s.cpu_usage.percpu);
  u64_array(w, "percpu_kernel", s.cpu_usage.percpu_kernel);
  u64_array(w, "percpu_user", s.cpu_usage.percpu_user);
  u64(w, "kernel", s.cpu_usage.kernel);
  u64(w, "user", s.cpu_usage.user);
  w.EndObject();
  w.Key("throttling");
  w.StartObject();
  u64(w, "periods", s.throttling.periods);
  u64(w, "throttled_periods", s.throttling.throttled_periods);
  u64(w, "throttled_time", s.throttling.throttled_time);
  w.EndObject();
  w.EndObject();

  w.Key("memory");
  w.StartObject();
  u64(w, "cache", s.memory_cache);
  memory_entry(w, "usage", s.memory);
  memory_entry(w, "swap", s.swap);
  memory_entry(w, "kernel", s.kernel);
  memory_entry(w, "kernelTCP", s.kernel_tcp);
  w.Key("raw");
  w.StartObject();
  for (const auto& [k, v] : s.memory_raw) u64(w, k.c_str(), v);
  w.EndObject();
  w.EndObject();

  w.Key("pids");
  w.StartObject();
  u64(w, "current", s.pids_current);
  u64(w, "limit", s.pids_limit);
  w.EndObject();

  w.Key("blkio");
  w.StartObject();
  blkio_list(w, "ioServiceBytesRecursive", s.io_service_bytes);
  blkio_list(w, "ioServicedRecursive", s.io_serviced);
  w.EndObject();

  w.Key("hugetlb");
  w.StartObject();
  for (const auto& [size, e] : s.hugetlb) {
    w.Key(size.c_str());
    w.StartObject();
    u64(w, "usage", e.usage);
    u64(w, "max", e.max);
    u64(w, "failcnt", e.failcnt);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
}

void event_head(Writer& w, const char* type, const std::string& id) {
  w.Key("type");
  w.String(type);
  w.Key("id");
  w.String(id.c_str(), static_cast<rapidjson::SizeType>(id.size()));
}

}  // namespace

std::string stats_event_json(const std::string& id, const Stats& s) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  event_head(w, "stats", id);
  w.Key("data");
  write_data(w, s);
  w.EndObject();
  return buf.GetString();
}

std::string oom_event_json(const std::string& id) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  event_head(w, "oom", id);
  w.EndObject();
  return buf.GetString();
}

std::map<std::string, uint64_t> parse_flat_keyed(const std::string& text) {
  std::map<std::string, uint64_t> out;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::string key;
    uint64_t value;
    if (ls >> key >> value) out[key] = value;
  }
  return out;
}

std::vector<BlkioEntry> parse_v1_blkio(const std::string& text) {
  std::vector<BlkioEntry> out;
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::string dev, op;
    uint64_t value;
    if (!(ls >> dev >> op >> value)) continue;
    auto colon = dev.find(':');
    if (colon == std::string::npos) continue;
    BlkioEntry e;
    e.major = std::stoull(dev.substr(0, colon));
    e.minor = std::stoull(dev.substr(colon + 1));
    e.op = op;
    e.value = value;
    out.push_back(e);
  }
  return out;
}

void parse_v2_io_stat(const std::string& text, std::vector<BlkioEntry>& bytes,
                      std::vector<BlkioEntry>& ios) {
  std::stringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ls(line);
    std::string dev, kv;
    if (!(ls >> dev)) continue;
    auto colon = dev.find(':');
    if (colon == std::string::npos) continue;
    BlkioEntry base;
    base.major = std::stoull(dev.substr(0, colon));
    base.minor = std::stoull(dev.substr(colon + 1));
    while (ls >> kv) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) continue;
      std::string key = kv.substr(0, eq);
      BlkioEntry e = base;
      e.value = std::stoull(kv.substr(eq + 1));
      if (key == "rbytes" || key == "wbytes") {
        e.op = key == "rbytes" ? "Read" : "Write";
        bytes.push_back(e);
      } else if (key == "rios" || key == "wios") {
        e.op = key == "rios" ? "Read" : "Write";
        ios.push_back(e);
      }
    }
  }
}

}  // namespace hull::cgroups
