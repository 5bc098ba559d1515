// /etc/resolv.conf and /etc/hosts for the container, written only when the bundle asks for
// them: config.json bind-mounts a file of the bundle onto /etc/resolv.conf or /etc/hosts.
// The hook runs after the runtime made its mounts, so the file is rewritten in place (same
// inode) and the container sees the new content through the bind mount.
#pragma once

#include <string>

#include "net/config.hpp"
#include "net/ipam.hpp"

namespace hull::net {

std::string resolv_conf_text(const NetworkConfig& cfg, const std::string& host_resolv_conf);
std::string hosts_text(const Lease& lease, const std::string& hostname);

// Reads BUNDLE/config.json and fills the files it asks for; does nothing when it asks none.
void write_etc_files(const std::string& bundle, const NetworkConfig& cfg, const Lease& lease);

}  // namespace hull::net
