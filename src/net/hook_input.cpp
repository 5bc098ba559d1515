#include "net/hook_input.hpp"

#include <rapidjson/document.h>

#include <charconv>

#include "hull/error.hpp"
#include "json/parse.hpp"

namespace hull::net {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<uint16_t> parse_port(std::string_view s) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
  return static_cast<uint16_t>(v);
}

PortMapping parse_one(std::string_view entry) {
  auto bad = [&](const std::string& why) {
    return Error("annotation hull.net.ports: \"" + std::string(entry) + "\": " + why);
  };
  PortMapping m;
  std::string_view rest = entry;
  if (auto slash = rest.rfind('/'); slash != std::string_view::npos) {
    m.proto = std::string(rest.substr(slash + 1));
    rest = rest.substr(0, slash);
    if (m.proto != "tcp" && m.proto != "udp" && m.proto != "sctp")
      throw bad("protocol must be tcp, udp or sctp");
  }
  auto last = rest.rfind(':');
  if (last == std::string_view::npos) throw bad("expected [HOSTIP:]HOSTPORT:CONTAINERPORT");
  auto cport = parse_port(rest.substr(last + 1));
  if (!cport) throw bad("container port must be a number from 1 to 65535");
  rest = rest.substr(0, last);
  std::string_view host_port = rest;
  if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    std::string_view ip = rest.substr(0, colon);
    host_port = rest.substr(colon + 1);
    if (ip.size() >= 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    m.host_ip = IpAddr::parse(ip);
    if (!m.host_ip) throw bad("\"" + std::string(ip) + "\" is not an IP address");
  }
  auto hport = parse_port(host_port);
  if (!hport) throw bad("host port must be a number from 1 to 65535");
  m.host_port = *hport;
  m.container_port = *cport;
  return m;
}

}  // namespace

namespace {

std::string host_ip_prefix(const std::optional<IpAddr>& ip) {
  if (!ip) return "";
  return ip->v4() ? ip->str() + ":" : "[" + ip->str() + "]:";
}

}  // namespace

std::string PortMapping::str() const {
  std::string out = host_ip_prefix(host_ip);
  out.append(std::to_string(host_port)).append(":").append(std::to_string(container_port));
  return out.append("/").append(proto);
}

std::string PortMapping::host_str() const {
  std::string out = host_ip_prefix(host_ip);
  return out.append(std::to_string(host_port)).append("/").append(proto);
}

std::vector<PortMapping> parse_ports(const std::string& text) {
  std::vector<PortMapping> out;
  std::string_view rest = text;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto entry = trim(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    if (entry.empty()) continue;
    PortMapping m = parse_one(entry);
    for (auto& seen : out)
      if (seen.same_host_side(m))
        throw Error("annotation hull.net.ports: host port " + m.host_str() + " is mapped twice");
    out.push_back(m);
  }
  return out;
}

std::string format_ports(const std::vector<PortMapping>& ports) {
  std::string out;
  for (auto& p : ports) {
    if (!out.empty()) out.push_back(',');
    out.append(p.str());
  }
  return out;
}

bool valid_container_id(const std::string& id) {
  if (id.empty() || id.size() > 1024 || id == "." || id == "..") return false;
  for (char c : id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '+' && c != '-' &&
        c != '.')
      return false;
  return true;
}

ContainerState parse_state(const std::string& json) {
  rapidjson::Document doc = json::parse(json, "container state on stdin");
  if (!doc.IsObject()) throw Error("container state on stdin is not a JSON object");
  ContainerState st;
  auto id = doc.FindMember("id");
  if (id == doc.MemberEnd() || !id->value.IsString())
    throw Error("container state on stdin: /id is missing or not a string");
  st.id = id->value.GetString();
  if (!valid_container_id(st.id))
    throw Error("container state on stdin: /id \"" + st.id + "\" is not a valid container id");
  if (auto pid = doc.FindMember("pid"); pid != doc.MemberEnd()) {
    if (!pid->value.IsInt() || pid->value.GetInt() < 0)
      throw Error("container state on stdin: /pid must be a non-negative integer");
    st.pid = pid->value.GetInt();
  }
  if (auto s = doc.FindMember("status"); s != doc.MemberEnd() && s->value.IsString())
    st.status = s->value.GetString();
  if (auto b = doc.FindMember("bundle"); b != doc.MemberEnd() && b->value.IsString())
    st.bundle = b->value.GetString();
  if (auto a = doc.FindMember("annotations"); a != doc.MemberEnd()) {
    if (!a->value.IsObject())
      throw Error("container state on stdin: /annotations must be an object");
    for (auto& m : a->value.GetObject()) {
      if (!m.value.IsString())
        throw Error(std::string("container state on stdin: /annotations/") + m.name.GetString() +
                    " must be a string");
      st.annotations[m.name.GetString()] = m.value.GetString();
    }
  }
  return st;
}

}  // namespace hull::net
