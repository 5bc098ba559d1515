#include "net/ipam.hpp"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <set>

#include "hull/error.hpp"
#include "json/parse.hpp"
#include "linux/files.hpp"
#include "net/files.hpp"

namespace hull::net {

namespace {

template <typename W>
void write_leases(W& w, const std::vector<Lease>& leases) {
  w.StartObject();
  for (auto& l : leases) {
    w.Key(l.id.c_str());
    w.StartObject();
    w.Key("index");
    w.Uint64(l.index);
    w.Key("ipv4");
    w.String(l.ip4.str().c_str());
    if (l.ip6) {
      w.Key("ipv6");
      w.String(l.ip6->str().c_str());
    }
    w.Key("bridge");
    w.String(l.bridge.c_str());
    w.Key("veth");
    w.String(l.veth.c_str());
    w.Key("ports");
    w.String(l.ports.c_str());
    w.Key("pid");
    w.Int(l.pid);
    w.Key("start_time");
    w.Uint64(l.start_time);
    w.EndObject();
  }
  w.EndObject();
}

std::string str_member(const rapidjson::Value& v, const char* key) {
  auto it = v.FindMember(key);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

}  // namespace

std::string leases_to_json(const std::vector<Lease>& leases, bool pretty) {
  rapidjson::StringBuffer buf;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    write_leases(w, leases);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    write_leases(w, leases);
  }
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

std::vector<Lease> LeaseStore::load() const {
  std::string path = dir_ + "/leases.json";
  if (::access(path.c_str(), F_OK) != 0) return {};
  std::string text = read_file(path);
  rapidjson::Document doc = json::parse(text, path);
  if (!doc.IsObject()) throw Error(path + ": not a JSON object of leases");
  std::vector<Lease> out;
  for (auto& m : doc.GetObject()) {
    const auto& v = m.value;
    Lease l;
    l.id = m.name.GetString();
    auto ip4 = v.IsObject() ? IpAddr::parse(str_member(v, "ipv4")) : std::nullopt;
    if (!ip4 || !v.HasMember("index") || !v["index"].IsUint64())
      throw Error(path + ": lease /" + l.id + " is malformed");
    l.ip4 = *ip4;
    l.index = v["index"].GetUint64();
    l.ip6 = IpAddr::parse(str_member(v, "ipv6"));
    l.bridge = str_member(v, "bridge");
    l.veth = str_member(v, "veth");
    l.ports = str_member(v, "ports");
    if (v.HasMember("pid") && v["pid"].IsInt()) l.pid = v["pid"].GetInt();
    if (v.HasMember("start_time") && v["start_time"].IsUint64())
      l.start_time = v["start_time"].GetUint64();
    out.push_back(std::move(l));
  }
  return out;
}

void LeaseStore::store(const std::vector<Lease>& leases) const {
  linux_::write_file_atomic(dir_ + "/leases.json", leases_to_json(leases, false));
}

Lease LeaseStore::acquire(const NetworkConfig& cfg, Lease lease,
                          const std::optional<IpAddr>& requested) {
  linux_::mkdir_p(dir_);
  FileLock lock(dir_ + "/lock");
  auto leases = load();
  auto mine = std::find_if(leases.begin(), leases.end(), [&](auto& l) { return l.id == lease.id; });

  std::optional<uint64_t> want;
  if (requested) {
    const Subnet& net = requested->v4() ? cfg.subnet : *cfg.subnet6;
    if ((!requested->v4() && !cfg.subnet6) || !net.contains(*requested) ||
        net.at(net.index_of(*requested)) != requested)
      throw Error("annotation hull.net.ip: " + requested->str() +
                  " is not a host address of network " + cfg.name);
    want = net.index_of(*requested);
    if (*want > cfg.subnet.last_index() || (cfg.subnet6 && *want > cfg.subnet6->last_index()))
      throw Error("annotation hull.net.ip: " + requested->str() +
                  " is outside the range of network " + cfg.name);
    if (*want == cfg.subnet.index_of(cfg.gateway) ||
        (cfg.subnet6 && *want == cfg.subnet6->index_of(cfg.gateway6)))
      throw Error("annotation hull.net.ip: " + requested->str() + " is the gateway of network " +
                  cfg.name);
  }

  std::set<uint64_t> used;
  for (auto& l : leases)
    if (l.id != lease.id) used.insert(l.index);

  uint64_t index = 0;
  if (mine != leases.end() && (!want || *want == mine->index)) {
    index = mine->index;
  } else if (want) {
    if (used.count(*want)) {
      auto owner =
          std::find_if(leases.begin(), leases.end(), [&](auto& l) { return l.index == *want; });
      throw Error("annotation hull.net.ip: " + requested->str() +
                  " is already leased to container " + owner->id);
    }
    index = *want;
  } else {
    uint64_t last = cfg.subnet.last_index();
    if (cfg.subnet6) last = std::min(last, cfg.subnet6->last_index());
    uint64_t gw4 = cfg.subnet.index_of(cfg.gateway);
    uint64_t gw6 = cfg.subnet6 ? cfg.subnet6->index_of(cfg.gateway6) : 0;
    for (uint64_t i = 1; i <= last; ++i)
      if (i != gw4 && i != gw6 && !used.count(i)) {
        index = i;
        break;
      }
    if (index == 0)
      throw Error("network " + cfg.name + ": no free address left in " + cfg.subnet.str() + " (" +
                  std::to_string(used.size()) + " leased)");
  }

  lease.index = index;
  lease.ip4 = *cfg.subnet.at(index);
  if (cfg.subnet6) lease.ip6 = *cfg.subnet6->at(index);
  if (mine != leases.end())
    *mine = lease;
  else
    leases.push_back(lease);
  store(leases);
  return lease;
}

std::optional<Lease> LeaseStore::find(const std::string& id) const {
  for (auto& l : list())
    if (l.id == id) return l;
  return std::nullopt;
}

bool LeaseStore::release(const std::string& id, const std::function<void()>& if_last) {
  if (::access(dir_.c_str(), F_OK) != 0) return false;
  FileLock lock(dir_ + "/lock");
  auto leases = load();
  auto it = std::find_if(leases.begin(), leases.end(), [&](auto& l) { return l.id == id; });
  if (it == leases.end()) return false;
  leases.erase(it);
  store(leases);
  if (leases.empty() && if_last) if_last();
  return true;
}

std::vector<Lease> LeaseStore::list() const {
  if (::access(dir_.c_str(), F_OK) != 0) return {};
  FileLock lock(dir_ + "/lock");
  return load();
}

}  // namespace hull::net
