#include "image/config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "hull/error.hpp"
#include "image/confine.hpp"
#include "image/json.hpp"
#include "image/text.hpp"
#include "image/user.hpp"
#include "spec/defaults.hpp"

namespace hull::image {
namespace {

using rapidjson::Value;

constexpr const char* kDefaultPath =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

class Editor {
 public:
  explicit Editor(rapidjson::Document& d) : doc_(d), a_(d.GetAllocator()) {}

  Value str(const std::string& s) { return Value(s.c_str(), static_cast<unsigned>(s.size()), a_); }

  Value strings(const std::vector<std::string>& items) {
    Value arr(rapidjson::kArrayType);
    for (const auto& s : items) arr.PushBack(str(s), a_);
    return arr;
  }

  // Sets obj[key] = v, replacing an existing member.
  void set(Value& obj, const char* key, Value v) {
    auto it = obj.FindMember(key);
    if (it != obj.MemberEnd())
      it->value = v;
    else
      obj.AddMember(Value(key, a_), v, a_);
  }

  Value& object(Value& obj, const char* key) {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || !it->value.IsObject())
      set(obj, key, Value(rapidjson::kObjectType));
    return obj[key];
  }

  void annotate(const std::string& key, const std::string& value) {
    if (value.empty()) return;
    Value& ann = object(doc_, "annotations");
    auto it = ann.FindMember(key.c_str());
    if (it != ann.MemberEnd())
      it->value = str(value);
    else
      ann.AddMember(str(key), str(value), a_);
  }

  Value id_maps(const std::vector<IdMapping>& maps) {
    Value arr(rapidjson::kArrayType);
    for (const auto& m : maps) {
      Value o(rapidjson::kObjectType);
      o.AddMember("containerID", m.container_id, a_);
      o.AddMember("hostID", m.host_id, a_);
      o.AddMember("size", m.size, a_);
      arr.PushBack(o, a_);
    }
    return arr;
  }

  Value hook(const std::string& path, std::vector<std::string> args) {
    Value h(rapidjson::kObjectType);
    h.AddMember("path", str(path), a_);
    h.AddMember("args", strings(args), a_);
    return h;
  }

  rapidjson::Document& doc_;
  rapidjson::Document::AllocatorType& a_;
};

std::string env_key(const std::string& kv) {
  return kv.substr(0, kv.find('='));
}

std::vector<std::string> merge_env(std::vector<std::string> env,
                                   const std::vector<std::string>& overrides) {
  for (const auto& kv : overrides) {
    if (kv.find('=') == std::string::npos || kv[0] == '=')
      throw Error("--env \"" + shown(kv) + "\": expected KEY=VALUE");
    auto same = [&](const std::string& e) { return env_key(e) == env_key(kv); };
    env.erase(std::remove_if(env.begin(), env.end(), same), env.end());
    env.push_back(kv);
  }
  if (std::none_of(env.begin(), env.end(), [](auto& e) { return env_key(e) == "PATH"; }))
    env.insert(env.begin(), kDefaultPath);
  return env;
}

std::string joined_keys(const rapidjson::Value* obj) {
  if (obj == nullptr) return {};
  std::vector<std::string> keys;
  for (const auto& m : obj->GetObject()) keys.emplace_back(m.name.GetString());
  std::sort(keys.begin(), keys.end());
  return join(keys, ",");
}

bool valid_port(const std::string& s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && p == s.data() + s.size() && v >= 1 && v <= 65535;
}

}  // namespace

std::string normalize_port(const std::string& text) {
  std::string spec = text, proto = "tcp";
  auto slash = spec.find('/');
  if (slash != std::string::npos) {
    proto = spec.substr(slash + 1);
    spec.resize(slash);
  }
  auto bad = [&](const std::string& why) {
    return Error("-p \"" + text + "\": " + why +
                 " (expected [HOSTIP:]HOSTPORT:CONTPORT[/tcp|udp])");
  };
  if (proto != "tcp" && proto != "udp" && proto != "sctp") throw bad("unknown protocol " + proto);
  auto c2 = spec.find_last_of(':');
  if (c2 == std::string::npos) throw bad("no container port");
  auto c1 = c2 == 0 ? std::string::npos : spec.find_last_of(':', c2 - 1);
  std::string host_ip = c1 == std::string::npos ? "" : spec.substr(0, c1);
  std::string host_port = spec.substr(c1 == std::string::npos ? 0 : c1 + 1,
                                      c2 - (c1 == std::string::npos ? 0 : c1 + 1));
  std::string cont_port = spec.substr(c2 + 1);
  if (!valid_port(host_port)) throw bad("host port \"" + host_port + "\" is not 1-65535");
  if (!valid_port(cont_port)) throw bad("container port \"" + cont_port + "\" is not 1-65535");
  if (c1 != std::string::npos && host_ip.empty()) throw bad("empty host address");
  std::string out = host_ip.empty() ? std::string() : host_ip + ":";
  out.append(host_port).append(":").append(cont_port).append("/").append(proto);
  return out;
}

std::string find_bridge(const std::string& explicit_path) {
  auto usable = [](const std::string& p) { return ::access(p.c_str(), X_OK) == 0; };
  if (!explicit_path.empty()) {
    if (!usable(explicit_path)) throw Error::sys("--bridge-path " + explicit_path);
    char* real = ::realpath(explicit_path.c_str(), nullptr);
    std::string out = real != nullptr ? real : explicit_path;
    std::free(real);
    return out;
  }
  char self[4096];
  ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n > 0) {
    std::string dir(self, static_cast<size_t>(n));
    dir.resize(dir.find_last_of('/'));
    // In the build tree oci-bridge sits in src/net beside src/image.
    for (const auto& cand : {dir + "/oci-bridge", dir + "/../net/oci-bridge"})
      if (usable(cand)) {
        char* real = ::realpath(cand.c_str(), nullptr);
        std::string out = real != nullptr ? real : cand;
        std::free(real);
        return out;
      }
  }
  const char* path = std::getenv("PATH");
  std::string rest = path != nullptr ? path : "";
  size_t i = 0;
  while (i <= rest.size()) {
    size_t j = rest.find(':', i);
    if (j == std::string::npos) j = rest.size();
    std::string d = rest.substr(i, j - i);
    if (!d.empty() && d[0] == '/' && usable(d + "/oci-bridge")) return d + "/oci-bridge";
    i = j + 1;
  }
  throw Error("--network: oci-bridge not found beside oci-image or on PATH (give --bridge-path)");
}

void ensure_network_files(int rootfs_fd) {
  Fd etc = make_dir_in_root(rootfs_fd, "etc");
  for (const char* name : {"resolv.conf", "hosts"}) {
    struct stat st;
    if (::fstatat(etc.get(), name, &st, AT_SYMLINK_NOFOLLOW) == 0) continue;
    Fd fd(::openat(etc.get(), name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!fd) throw Error::sys(std::string("making /etc/") + name + " in the rootfs");
  }
}

std::string make_config(const Image& img, int rootfs_fd, const ConfigOptions& opts) {
  rapidjson::Document doc;
  doc.Parse(hull::spec::default_spec_json(opts.rootless, opts.host_uid, opts.host_gid).c_str());
  Editor ed(doc);
  std::string what = "image config " + img.config.digest;
  auto cfg_doc = parse_json(img.config_json, what);
  rapidjson::Value empty(rapidjson::kObjectType);
  const auto* cfg = get_object(cfg_doc, "config", what);
  if (cfg == nullptr) cfg = &empty;
  std::string cw = what + " config";

  auto entrypoint =
      opts.entrypoint ? std::vector<std::string>{} : get_strings(*cfg, "Entrypoint", cw);
  if (opts.entrypoint && !opts.entrypoint->empty()) entrypoint.push_back(*opts.entrypoint);
  auto cmd = !opts.cmd.empty() ? opts.cmd
             : opts.entrypoint ? std::vector<std::string>{}
                               : get_strings(*cfg, "Cmd", cw);
  std::vector<std::string> args = entrypoint;
  args.insert(args.end(), cmd.begin(), cmd.end());
  if (args.empty()) {
    std::fprintf(stderr, "oci-image: the image names no Entrypoint or Cmd: running sh\n");
    args.push_back("sh");
  }

  Value& process = ed.object(doc, "process");
  ed.set(process, "terminal", Value(false));
  ed.set(process, "args", ed.strings(args));
  ed.set(process, "env", ed.strings(merge_env(get_strings(*cfg, "Env", cw), opts.env)));
  std::string cwd = !opts.cwd.empty() ? opts.cwd : get_string(*cfg, "WorkingDir", cw);
  ed.set(process, "cwd", ed.str(cwd.empty() ? "/" : cwd));
  std::string user_spec = !opts.user.empty() ? opts.user : get_string(*cfg, "User", cw);
  ResolvedUser user = with_context("User \"" + user_spec + "\"",
                                   [&] { return resolve_user_in(rootfs_fd, user_spec); });
  Value u(rapidjson::kObjectType);
  u.AddMember("uid", user.uid, ed.a_);
  u.AddMember("gid", user.gid, ed.a_);
  if (!user.additional_gids.empty()) {
    Value gids(rapidjson::kArrayType);
    for (auto g : user.additional_gids) gids.PushBack(g, ed.a_);
    u.AddMember("additionalGids", gids, ed.a_);
  }
  ed.set(process, "user", std::move(u));
  if (!opts.hostname.empty()) ed.set(doc, "hostname", ed.str(opts.hostname));
  // An image's container writes to its rootfs, as with docker and podman.
  ed.set(ed.object(doc, "root"), "readonly", Value(false));

  if (opts.rootless) {
    Value& linux = ed.object(doc, "linux");
    if (!opts.uid_map.empty()) ed.set(linux, "uidMappings", ed.id_maps(opts.uid_map));
    if (!opts.gid_map.empty()) ed.set(linux, "gidMappings", ed.id_maps(opts.gid_map));
  }

  // Labels first, so the image-spec's own keys below win over a label of the same name.
  if (const auto* labels = get_object(*cfg, "Labels", cw))
    for (const auto& l : labels->GetObject())
      if (l.value.IsString()) ed.annotate(l.name.GetString(), l.value.GetString());
  ed.annotate("org.opencontainers.image.os", get_string(cfg_doc, "os", what));
  ed.annotate("org.opencontainers.image.architecture", get_string(cfg_doc, "architecture", what));
  ed.annotate("org.opencontainers.image.variant", get_string(cfg_doc, "variant", what));
  ed.annotate("org.opencontainers.image.author", get_string(cfg_doc, "author", what));
  ed.annotate("org.opencontainers.image.created", get_string(cfg_doc, "created", what));
  ed.annotate("org.opencontainers.image.stopSignal", get_string(*cfg, "StopSignal", cw));
  ed.annotate("org.opencontainers.image.exposedPorts",
              joined_keys(get_object(*cfg, "ExposedPorts", cw)));
  ed.annotate("hull.image.volumes", joined_keys(get_object(*cfg, "Volumes", cw)));
  ed.annotate("org.opencontainers.image.ref.name", img.ref.tag);
  ed.annotate("hull.image.manifest", img.manifest.digest);

  if (!opts.network.empty()) {
    std::vector<std::string> ports;
    for (const auto& p : opts.ports) ports.push_back(normalize_port(p));
    ed.annotate("hull.net.ports", join(ports, ","));
    Value& hooks = ed.object(doc, "hooks");
    Value create(rapidjson::kArrayType), stop(rapidjson::kArrayType);
    create.PushBack(ed.hook(opts.bridge_path, {"oci-bridge", "--network", opts.network}), ed.a_);
    stop.PushBack(
        ed.hook(opts.bridge_path, {"oci-bridge", "--network", opts.network, "--teardown"}), ed.a_);
    ed.set(hooks, "createRuntime", std::move(create));
    ed.set(hooks, "poststop", std::move(stop));
    ensure_network_files(rootfs_fd);
  }
  return to_json(doc, true) + "\n";
}

}  // namespace hull::image
