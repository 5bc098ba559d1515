#include "net/config.hpp"

#include <rapidjson/document.h>

#include <algorithm>
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

struct Reserved {
  const char* net;
  const char* what;
};

// Address ranges a container address or gateway can never come from.
constexpr Reserved kReserved[] = {
    {"0.0.0.0/8", "this network"},
    {"127.0.0.0/8", "loopback"},
    {"224.0.0.0/4", "multicast"},
    {"240.0.0.0/4", "reserved and broadcast"},
    {"::/127", "unspecified and loopback"},
    {"::ffff:0:0/96", "IPv4-mapped"},
    {"fe80::/10", "link-local"},
    {"ff00::/8", "multicast"},
};

Subnet get_subnet(const std::string& text, const std::string& origin, const char* key, bool v4) {
  auto net = Subnet::parse(text);
  if (!net) {
    throw field_error(origin, key,
                      "\"" + text + "\" is not a subnet like " +
                          (v4 ? "10.88.0.0/16" : "fd88::/64") + " (host bits clear)");
  }
  if (net->base.v4() != v4) {
    throw field_error(origin, key, std::string("must be an IPv") + (v4 ? "4" : "6") + " subnet");
  }
  // The network address (IPv4) or subnet-router anycast address (IPv6), the gateway, one
  // container and, for IPv4, the broadcast address.
  if (net->last_index() < 2) {
    throw field_error(origin, key,
                      "subnet " + text + " is too small for a gateway and a container (at most " +
                          (v4 ? "/30" : "/126") + ")");
  }
  for (const auto& r : kReserved) {
    Subnet reserved = *Subnet::parse(r.net);
    if (net->overlaps(reserved))
      throw field_error(
          origin, key,
          text + " overlaps " + r.net + " (" + r.what + "), which no container can use");
  }
  return *net;
}

IpAddr get_gateway(const rapidjson::Value& doc, const char* key, const Subnet& net,
                   const std::string& origin) {
  std::string text = get_string(doc, key, origin, "");
  if (text.empty()) return *net.at(1);
  auto bad = [&](const std::string& why) { return field_error(origin, key, why); };
  auto addr = IpAddr::parse(text);
  if (!addr) throw bad("\"" + text + "\" is not an IP address");
  if (!net.contains(*addr)) throw bad(text + " is outside " + net.str());
  uint64_t index = net.index_of(*addr);
  if (net.at(index) == addr) return *addr;
  if (*addr == net.base) {
    throw bad(text + " is the " + (net.base.v4() ? "network" : "subnet-router anycast") +
              " address of " + net.str() + ", not a host address");
  }
  if (net.base.v4()) throw bad(text + " is the broadcast address of " + net.str());
  throw bad(text + " is beyond the first 2^32 addresses of " + net.str() +
            ", which are all the IPAM numbers");
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
  cfg.origin = origin;
  cfg.name = get_string(doc, "name", origin, default_name);
  if (!valid_network_name(cfg.name))
    throw field_error(origin, "name", "\"" + cfg.name + "\" is not a valid network name");
  cfg.bridge = get_string(doc, "bridge", origin, "hull0");
  if (!valid_ifname(cfg.bridge))
    throw field_error(origin, "bridge", "\"" + cfg.bridge + "\" is not a valid interface name");
  if (!doc.HasMember("subnet")) throw field_error(origin, "subnet", "is required");
  cfg.subnet = get_subnet(get_string(doc, "subnet", origin, ""), origin, "subnet", true);
  cfg.gateway = get_gateway(doc, "gateway", cfg.subnet, origin);
  if (doc.HasMember("subnet6")) {
    cfg.subnet6 = get_subnet(get_string(doc, "subnet6", origin, ""), origin, "subnet6", false);
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

namespace hull::net {

void check_config_overlaps(const NetworkConfig& cfg, const std::string& config_dir) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator(config_dir, ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  for (auto& file : files) {
    std::string name = file.stem();
    // The network itself, also when --config names a file of its own with the same name.
    if (name == cfg.name || !valid_network_name(name) ||
        std::filesystem::equivalent(file, cfg.origin, ec))
      continue;
    NetworkConfig other;
    try {
      other = load_network(config_dir, name);
    } catch (const Error&) {
      continue;
    }
    if (other.name == cfg.name) continue;
    auto clash = [&](const char* key, const Subnet& mine, const Subnet& theirs) {
      if (!mine.overlaps(theirs)) return;
      throw field_error(cfg.origin, key,
                        mine.str() + " of network \"" + cfg.name + "\" overlaps " + theirs.str() +
                            " of network \"" + other.name + "\" (" + other.origin + ")");
    };
    clash("subnet", cfg.subnet, other.subnet);
    if (cfg.subnet6 && other.subnet6) clash("subnet6", *cfg.subnet6, *other.subnet6);
  }
}

}  // namespace hull::net
