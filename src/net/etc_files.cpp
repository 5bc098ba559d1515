#include "net/etc_files.hpp"

#include <rapidjson/document.h>
#include <sys/stat.h>

#include <filesystem>
#include <sstream>

#include "hull/error.hpp"
#include "json/parse.hpp"
#include "net/files.hpp"

namespace hull::net {

std::string resolv_conf_text(const NetworkConfig& cfg, const std::string& host_resolv_conf) {
  std::string out;
  if (!cfg.dns.empty()) {
    for (auto& s : cfg.dns) out += "nameserver " + s + "\n";
    return out;
  }
  // The host's own servers, except loopback ones: inside the container they would be the
  // container itself.
  std::istringstream in(host_resolv_conf);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string key, value;
    words >> key >> value;
    if (key == "nameserver") {
      if (value.rfind("127.", 0) == 0 || value == "::1") continue;
      out += line + "\n";
    } else if (key == "search" || key == "options" || key == "domain") {
      out += line + "\n";
    }
  }
  return out;
}

std::string hosts_text(const Lease& lease, const std::string& hostname) {
  std::string out = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n";
  out += lease.ip4.str() + "\t" + hostname + "\n";
  if (lease.ip6) out += lease.ip6->str() + "\t" + hostname + "\n";
  return out;
}

namespace {

// The bundle file mounted at `dest`, or "" when config.json mounts none there.
std::string bundle_file_for(const rapidjson::Value& mounts, const std::string& bundle,
                            const std::string& dest) {
  namespace fs = std::filesystem;
  for (auto& m : mounts.GetArray()) {
    if (!m.IsObject() || !m.HasMember("destination") || !m["destination"].IsString() ||
        !m.HasMember("source") || !m["source"].IsString() || m["destination"].GetString() != dest)
      continue;
    fs::path src = m["source"].GetString();
    if (src.is_relative()) src = fs::path(bundle) / src;
    std::error_code ec;
    fs::path real = fs::canonical(src, ec);
    fs::path root = fs::canonical(bundle, ec);
    if (ec) continue;
    auto rel = real.lexically_relative(root);
    if (rel.empty() || *rel.begin() == "..") continue;  // not ours to write
    struct stat st {};
    if (::stat(real.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    return real;
  }
  return "";
}

}  // namespace

void write_etc_files(const std::string& bundle, const NetworkConfig& cfg, const Lease& lease) {
  if (bundle.empty()) return;
  std::string path = bundle + "/config.json";
  std::string text;
  try {
    text = read_file(path, json::kSpecBytes);
  } catch (const Error&) {
    return;  // no readable config.json: nothing was asked for
  }
  rapidjson::Document doc;
  try {
    doc = json::parse(text, path);
  } catch (const Error&) {
    return;  // not for us to judge: the runtime refuses a bad config.json
  }
  if (!doc.IsObject() || !doc.HasMember("mounts") || !doc["mounts"].IsArray()) return;
  std::string resolv = bundle_file_for(doc["mounts"], bundle, "/etc/resolv.conf");
  if (!resolv.empty()) {
    std::string host;
    try {
      host = read_file("/etc/resolv.conf");
    } catch (const Error&) {
    }
    write_file_in_place(resolv, resolv_conf_text(cfg, host));
  }
  std::string hosts = bundle_file_for(doc["mounts"], bundle, "/etc/hosts");
  if (!hosts.empty()) {
    std::string hostname = lease.id.substr(0, 12);
    if (doc.HasMember("hostname") && doc["hostname"].IsString() &&
        doc["hostname"].GetStringLength() > 0)
      hostname = doc["hostname"].GetString();
    write_file_in_place(hosts, hosts_text(lease, hostname));
  }
}

}  // namespace hull::net
