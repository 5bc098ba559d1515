// config.json for a bundle made from an image: hull's default spec with the image config's
// process, annotations and, on request, bridge networking hooks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "image/idmap.hpp"
#include "image/image.hpp"

namespace hull::image {

struct ConfigOptions {
  bool rootless = false;
  unsigned host_uid = 0, host_gid = 0;  // mapped to root by default when rootless
  std::vector<IdMapping> uid_map, gid_map;
  std::optional<std::string> entrypoint;  // replaces Entrypoint (and drops Cmd); "" clears it
  std::vector<std::string> cmd;           // non-empty: replaces Cmd
  std::vector<std::string> env;           // KEY=VALUE, replacing the image's KEY
  std::string hostname, user, cwd;
  // Bridge networking through oci-bridge hooks (issue 7).
  std::string network;
  std::vector<std::string> ports;  // [HOSTIP:]HOSTPORT:CONTPORT[/PROTO]
  std::string bridge_path;         // oci-bridge, already located
};

// The config.json text. rootfs_fd is the bundle's rootfs (for /etc/passwd lookups).
std::string make_config(const Image& img, int rootfs_fd, const ConfigOptions& opts);

// "8080:80" → "8080:80/tcp"; "127.0.0.1:53:53/udp" stays; anything else is an Error.
std::string normalize_port(const std::string& text);
// oci-bridge: explicit, beside the running executable, or on PATH.
std::string find_bridge(const std::string& explicit_path);
// Makes empty etc/resolv.conf and etc/hosts in the rootfs if missing, for oci-bridge to fill.
void ensure_network_files(int rootfs_fd);

}  // namespace hull::image
