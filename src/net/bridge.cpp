#include "net/bridge.hpp"

#include <fcntl.h>
#include <net/if.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "hull/error.hpp"
#include "net/etc_files.hpp"
#include "net/files.hpp"
#include "net/nat.hpp"
#include "net/netlink.hpp"

namespace hull::net {

std::string veth_name(const std::string& network, const std::string& id) {
  uint32_t h = 2166136261u;  // FNV-1a
  for (char c : network + "/" + id) {
    h ^= static_cast<uint8_t>(c);
    h *= 16777619u;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "hull%08x", h);
  return buf;
}

Mac container_mac(const IpAddr& ip4) {
  // Locally administered, unicast, unique on the bridge because the address is.
  return {0x02, 0x48, ip4.bytes[0], ip4.bytes[1], ip4.bytes[2], ip4.bytes[3]};
}

uint64_t process_start_time(int pid) {
  if (pid <= 0) return 0;
  std::string stat;
  try {
    stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  } catch (const Error&) {
    return 0;
  }
  // Field 22; the command name (field 2) may hold spaces, so count from its closing paren.
  auto pos = stat.rfind(')');
  if (pos == std::string::npos || pos + 2 >= stat.size()) return 0;
  // A zombie is a container that has stopped; nobody may have reaped it yet.
  if (stat[pos + 2] == 'Z' || stat[pos + 2] == 'X') return 0;
  int field = 2;
  for (size_t i = pos + 1; i < stat.size(); ++i) {
    if (stat[i] == ' ' && ++field == 22) return std::strtoull(stat.c_str() + i + 1, nullptr, 10);
  }
  return 0;
}

namespace {

void write_sysctl(const std::string& path, const char* value) {
  char cur[8] = {};
  Fd fd(::open(path.c_str(), O_RDWR | O_CLOEXEC));
  if (!fd) throw Error::sys("opening " + path);
  if (::read(fd.get(), cur, sizeof cur - 1) > 0 && cur[0] == value[0]) return;
  if (::pwrite(fd.get(), value, 1, 0) != 1) throw Error::sys("writing " + path);
}

// What ensure_bridge changed on the host, so a failed first setup can take it back.
struct BridgeChanges {
  bool bridge = false;
  bool addr4 = false;
  bool addr6 = false;
};

void ensure_bridge(Netlink& host, const NetworkConfig& cfg, BridgeChanges& made) {
  made.bridge = host.ensure_bridge(cfg.bridge, cfg.mtu);
  int br = host.link_index(cfg.bridge);
  if (br == 0) throw Error("bridge " + cfg.bridge + " vanished right after its creation");
  made.addr4 = host.add_address(br, cfg.gateway, cfg.subnet.prefix);
  if (cfg.subnet6) made.addr6 = host.add_address(br, cfg.gateway6, cfg.subnet6->prefix);
  host.set_up(br);
  // Forwarding lets containers reach beyond the bridge; route_localnet lets a DNATed
  // connection to 127.0.0.1:PORT leave through the bridge.
  write_sysctl("/proc/sys/net/ipv4/ip_forward", "1");
  write_sysctl("/proc/sys/net/ipv4/conf/" + cfg.bridge + "/route_localnet", "1");
  if (cfg.subnet6) write_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", "1");
}

// Runs with the network's lease lock held and no lease left: the bridge, gateway addresses
// and NAT elements a failed setup brought up go again.
void undo_bridge(Netlink& host, const NetworkConfig& cfg, const BridgeChanges& made) {
  if (made.bridge) {
    host.delete_link(cfg.bridge);
  } else if (int br = host.link_index(cfg.bridge); br != 0) {
    if (made.addr4) host.delete_address(br, cfg.gateway, cfg.subnet.prefix);
    if (made.addr6) host.delete_address(br, cfg.gateway6, cfg.subnet6->prefix);
  }
  // Without its gateway the network was not in use, so its subnets in the NAT sets are ours.
  if (made.bridge || made.addr4) {
    Nft nft;
    nft_remove_network(nft, cfg);
  }
}

std::string ifname_of(int index) {
  char name[IF_NAMESIZE] = {};
  return ::if_indextoname(static_cast<unsigned>(index), name) ? name : "#" + std::to_string(index);
}

// What must hold on the host before anything is touched: the bridge, if there is one, is a
// bridge, and no address on another interface shares the network's subnets (the gateway
// would shadow or be shadowed by it).
void check_host(Netlink& host, const NetworkConfig& cfg) {
  // Addresses first: a concurrent setup may make the bridge and its gateway meanwhile, and an
  // address in this dump then has its link in the lookup below.
  auto addresses = host.addresses();
  auto br = host.link(cfg.bridge);
  if (br && br->kind != "bridge")
    throw Error(cfg.origin + " /bridge: bridge \"" + cfg.bridge +
                "\" exists and is not a bridge (kind " + br->describe_kind() + ")");
  for (const auto& a : addresses) {
    if (br && a.index == br->index) continue;
    const char* key = a.net.base.v4() ? "subnet" : "subnet6";
    const Subnet* mine = a.net.base.v4() ? &cfg.subnet : cfg.subnet6 ? &*cfg.subnet6 : nullptr;
    if (mine && mine->overlaps(a.net))
      throw Error(cfg.origin + " /" + key + ": " + mine->str() + " of network \"" + cfg.name +
                  "\" overlaps address " + a.net.str() + " on host interface " +
                  ifname_of(a.index));
  }
}

// A host port (address, protocol) is one NAT map key: refused when another container, on any
// network, holds it.
void check_ports_free(const Paths& paths, const std::string& network, const std::string& id,
                      const std::vector<PortMapping>& ports) {
  if (ports.empty()) return;
  for (auto& net : networks_with_state(paths)) {
    for (auto& lease : LeaseStore(paths.state_dir + "/" + net).list()) {
      if (net == network && lease.id == id) continue;
      std::vector<PortMapping> held;
      try {
        held = parse_ports(lease.ports);
      } catch (const Error&) {
        continue;
      }
      for (auto& p : ports)
        for (auto& h : held)
          if (p.same_host_side(h))
            throw Error("annotation hull.net.ports: host port " + p.host_str() +
                        " is already published by container " + lease.id + " (network " + net +
                        ")");
    }
  }
}

void configure_container(const std::string& ns_path, const NetworkConfig& cfg, const Lease& lease) {
  Netlink ctr(ns_path);
  int eth0 = ctr.link_index("eth0");
  if (eth0 == 0) throw Error("eth0 did not appear in " + ns_path);
  ctr.add_address(eth0, lease.ip4, cfg.subnet.prefix);
  if (lease.ip6) ctr.add_address(eth0, *lease.ip6, cfg.subnet6->prefix);
  ctr.set_up(eth0);
  ctr.set_up(1);  // lo is always index 1 in a network namespace
  ctr.add_default_route(eth0, cfg.gateway);
  if (lease.ip6) ctr.add_default_route(eth0, cfg.gateway6);
}

void remove_lease_resources(Netlink& host, const Lease& lease) {
  host.delete_link(lease.veth);
  auto ports = parse_ports(lease.ports);
  if (!ports.empty()) {
    Nft nft;
    nft_remove_ports(nft, ports, lease);
  }
}

}  // namespace

Lease setup(const Paths& paths, const NetworkConfig& cfg, const ContainerState& state) {
  // Everything that can be wrong with the input is checked before anything is touched.
  auto ann = [&](const char* key) {
    auto it = state.annotations.find(key);
    return it == state.annotations.end() ? std::string() : it->second;
  };
  auto ports = parse_ports(ann("hull.net.ports"));
  std::optional<IpAddr> requested;
  if (std::string ip = ann("hull.net.ip"); !ip.empty()) {
    requested = IpAddr::parse(ip);
    if (!requested) throw Error("annotation hull.net.ip: \"" + ip + "\" is not an IP address");
  }
  if (state.pid <= 0) throw Error("container " + state.id + ": the state has no pid");
  std::string ns_path = "/proc/" + std::to_string(state.pid) + "/ns/net";
  Fd ns(::open(ns_path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!ns) throw Error::sys("container " + state.id + ": opening " + ns_path);

  Netlink host;
  check_host(host, cfg);
  check_ports_free(paths, cfg.name, state.id, ports);

  LeaseStore store(paths.state_dir + "/" + cfg.name);
  auto previous = store.find(state.id);
  Lease want;
  want.id = state.id;
  want.bridge = cfg.bridge;
  want.veth = veth_name(cfg.name, state.id);
  want.ports = format_ports(ports);
  want.pid = state.pid;
  want.start_time = process_start_time(state.pid);
  Lease lease = store.acquire(cfg, want, requested);

  BridgeChanges made;
  try {
    // A repeated or interrupted call may have left a veth and mappings: start from clean.
    if (previous) remove_lease_resources(host, *previous);
    ensure_bridge(host, cfg, made);
    int br = host.link_index(cfg.bridge);
    host.create_veth(lease.veth, br, "eth0", ns.get(), container_mac(lease.ip4), cfg.mtu);
    host.set_hairpin(host.link_index(lease.veth));
    configure_container(ns_path, cfg, lease);
    Nft nft;
    try {
      nft_install(nft, nft_network_elements(cfg) + nft_port_elements("add", ports, lease));
    } catch (const Error&) {
      // A container that took the port since the check above: name it, not nft's element.
      check_ports_free(paths, cfg.name, state.id, ports);
      throw;
    }
    write_etc_files(state.bundle, cfg, lease);
  } catch (Error& e) {
    try {
      remove_lease_resources(host, lease);
    } catch (const Error&) {
    }
    try {
      store.release(state.id, [&] { undo_bridge(host, cfg, made); });
    } catch (const Error&) {
    }
    e.context("connecting container " + state.id + " to network " + cfg.name);
    throw;
  }
  return lease;
}

void teardown(const Paths& paths, const std::string& network, const std::string& id) {
  LeaseStore store(paths.state_dir + "/" + network);
  auto lease = store.find(id);
  Netlink host;
  if (!lease) {
    host.delete_link(veth_name(network, id));
    return;
  }
  with_context("disconnecting container " + id + " from network " + network, [&] {
    remove_lease_resources(host, *lease);
    store.release(id);
  });
}

std::vector<std::string> networks_with_state(const Paths& paths) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& entry : std::filesystem::directory_iterator(paths.state_dir, ec))
    if (entry.is_directory() && valid_network_name(entry.path().filename()))
      out.push_back(entry.path().filename());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> gc(const Paths& paths) {
  std::vector<std::string> released;
  for (auto& network : networks_with_state(paths)) {
    LeaseStore store(paths.state_dir + "/" + network);
    for (auto& lease : store.list()) {
      uint64_t start = process_start_time(lease.pid);
      if (start != 0 && start == lease.start_time) continue;
      teardown(paths, network, lease.id);
      released.push_back(network + "/" + lease.id);
    }
  }
  return released;
}

}  // namespace hull::net
