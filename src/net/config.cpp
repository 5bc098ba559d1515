#include "net/config.hpp"

#include <rapidjson/document.h>

#include <filesystem>

#include "hull/error.hpp"
#include "json/parse.hpp"
#include "net/files.hpp"

namespace hull::net {

namespace {

Error field_error(const std::string& origin, const std::string& field, const std::string& what) {
  return Error(origin + " /" + field + ": " + what);
}

std::string get_string(const rapidjson::Value& doc, const char* key, const std::string& origin,
                       const std::string& fallback) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) return fallback;
  if (!it->value.IsString()) throw field_error(origin, key, "must be a string");
  return it->value.GetString();
}

Subnet get_subnet(const std::string& text, const std::string& origin, const char* key) {
  auto net = Subnet::parse(text);
  if (!net) throw field_error(origin, key, "\"" + text + "\" is not a subnet like 10.88.0.0/16");
  if (net->last_index() < 2) throw field_error(origin, key, "subnet " + text + " is too small");
  return *net;
}

IpAddr get_gateway(const rapidjson::Value& doc, const char* key, const Subnet& net,
                   const std::string& origin) {
  std::string text = get_string(doc, key, origin, "");
  if (text.empty()) return *net.at(1);
  auto addr = IpAddr::parse(text);
  if (!addr || !net.contains(*addr) || net.index_of(*addr) == 0 ||
      net.at(net.index_of(*addr)) != addr)
    throw field_error(origin, key, "\"" + text + "\" is not a host address in " + net.str());
  return *addr;
}

}  // namespace

bool valid_ifname(const std::string& name) {
  if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
  for (char c : name)
    if (c == '/' || c == ':' || c <= ' ' || c == 0x7f) return false;
  return true;
}

bool valid_network_name(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '.') return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.')
      return false;
  return true;
}

NetworkConfig parse_network(const std::string& json, const std::string& origin,
                            const std::string& default_name) {
  rapidjson::Document doc = json::parse(json, origin);
  if (!doc.IsObject()) throw Error(origin + ": must be a JSON object");
  static const char* known[] = {"name",     "bridge", "subnet",     "gateway", "subnet6",
                                "gateway6", "mtu",    "masquerade", "dns"};
  for (auto& m : doc.GetObject()) {
    bool ok = false;
    for (auto* k : known) ok = ok || m.name.GetString() == std::string(k);
    if (!ok) throw field_error(origin, m.name.GetString(), "unknown field");
  }

  NetworkConfig cfg;
  cfg.name = get_string(doc, "name", origin, default_name);
  if (!valid_network_name(cfg.name))
    throw field_error(origin, "name", "\"" + cfg.name + "\" is not a valid network name");
  cfg.bridge = get_string(doc, "bridge", origin, "hull0");
  if (!valid_ifname(cfg.bridge))
    throw field_error(origin, "bridge", "\"" + cfg.bridge + "\" is not a valid interface name");
  if (!doc.HasMember("subnet")) throw field_error(origin, "subnet", "is required");
  cfg.subnet = get_subnet(get_string(doc, "subnet", origin, ""), origin, "subnet");
  if (!cfg.subnet.base.v4()) throw field_error(origin, "subnet", "must be an IPv4 subnet");
  cfg.gateway = get_gateway(doc, "gateway", cfg.subnet, origin);
  if (doc.HasMember("subnet6")) {
    cfg.subnet6 = get_subnet(get_string(doc, "subnet6", origin, ""), origin, "subnet6");
    if (cfg.subnet6->base.v4()) throw field_error(origin, "subnet6", "must be an IPv6 subnet");
    cfg.gateway6 = get_gateway(doc, "gateway6", *cfg.subnet6, origin);
  } else if (doc.HasMember("gateway6")) {
    throw field_error(origin, "gateway6", "needs subnet6");
  }
  if (auto it = doc.FindMember("mtu"); it != doc.MemberEnd()) {
    if (!it->value.IsUint() || it->value.GetUint() < 68 || it->value.GetUint() > 65535)
      throw field_error(origin, "mtu", "must be an integer from 68 to 65535");
    cfg.mtu = it->value.GetUint();
  }
  if (auto it = doc.FindMember("masquerade"); it != doc.MemberEnd()) {
    if (!it->value.IsBool()) throw field_error(origin, "masquerade", "must be true or false");
    cfg.masquerade = it->value.GetBool();
  }
  if (auto it = doc.FindMember("dns"); it != doc.MemberEnd()) {
    if (!it->value.IsArray()) throw field_error(origin, "dns", "must be an array of addresses");
    for (auto& v : it->value.GetArray()) {
      if (!v.IsString() || !IpAddr::parse(v.GetString()))
        throw field_error(origin, "dns", "every entry must be an IP address string");
      cfg.dns.emplace_back(v.GetString());
    }
  }
  return cfg;
}

NetworkConfig load_network_file(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem();
  return parse_network(read_file(path), path, stem);
}

NetworkConfig load_network(const std::string& config_dir, const std::string& name) {
  if (!valid_network_name(name)) throw Error("network name \"" + name + "\" is not valid");
  std::string path = config_dir + "/" + name + ".json";
  if (!std::filesystem::exists(path)) {
    // The default network works without a file, so `--network hull` needs no setup.
    if (name == kDefaultNetwork)
      return parse_network(R"({"bridge": "hull0", "subnet": "10.88.0.0/16"})", "built-in", name);
    throw Error("network \"" + name + "\" is not defined: " + path + " does not exist");
  }
  return parse_network(read_file(path), path, name);
}

}  // namespace hull::net
