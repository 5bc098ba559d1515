// oci-bridge: an OCI hook giving containers bridge networking, and a few commands to look at
// and clean up its leases. As a hook (createRuntime, prestart or poststop) it reads the
// container state on stdin:
//   oci-bridge --network NAME              connect (or, for a stopped container, disconnect)
//   oci-bridge --network NAME --teardown   disconnect
//   oci-bridge --config FILE ...           the network from FILE instead of the config dir
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>

#include "hull/error.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"
#include "net/bridge.hpp"
#include "net/config.hpp"
#include "net/hook_input.hpp"
#include "net/ipam.hpp"

namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

int run_hook(const hull::net::Paths& paths, const std::string& network,
             const std::string& config_file, bool teardown) {
  using namespace hull::net;
  if (network.empty() && config_file.empty())
    throw hull::Error("no network given: use --network NAME or --config FILE");
  std::string input = hull::linux_::read_fd_bounded(0, hull::json::kStateBytes, "stdin");
  ContainerState state = parse_state(input);
  teardown = teardown || state.status == "stopped";
  if (teardown && config_file.empty()) {
    if (!valid_network_name(network))
      throw hull::Error("network name \"" + network + "\" is not valid");
    hull::net::teardown(paths, network, state.id);
    return 0;
  }
  NetworkConfig cfg = config_file.empty() ? load_network(paths.config_dir, network)
                                          : load_network_file(config_file);
  if (teardown) {
    hull::net::teardown(paths, cfg.name, state.id);
    return 0;
  }
  check_config_overlaps(cfg, paths.config_dir);
  setup(paths, cfg, state);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"oci-bridge: bridge networking for OCI containers, run as a runtime hook"};
  hull::net::Paths paths;
  paths.config_dir = env_or("HULL_NET_CONFIG_DIR", "/etc/hull/networks");
  paths.state_dir = env_or("HULL_NET_STATE_DIR", "/var/lib/hull/networks");
  std::string network, config_file, inspect_name;
  bool teardown = false;
  app.add_option("--network", network, "network NAME, defined in CONFIG_DIR/NAME.json");
  app.add_option("--config", config_file, "network definition file (instead of --network)");
  app.add_option("--config-dir", paths.config_dir, "where network definitions live")
      ->capture_default_str();
  app.add_option("--state-dir", paths.state_dir, "where leases are kept")->capture_default_str();
  app.add_flag("--teardown", teardown, "disconnect the container (poststop)");
  app.require_subcommand(0, 1);
  app.footer(
      "As a hook it reads the OCI state on stdin. Annotations: hull.net.ports="
      "[HOSTIP:]HOSTPORT:CONTPORT[/tcp|udp|sctp],... and hull.net.ip=ADDRESS.\n"
      "Environment: HULL_NET_CONFIG_DIR and HULL_NET_STATE_DIR set the two directories.\n"
      "The network \"hull\" (hull0, 10.88.0.0/16) exists even without a file.");
  auto* ls = app.add_subcommand("ls", "list networks: defined ones and ones holding leases");
  auto* inspect = app.add_subcommand("inspect", "print a network's leases as JSON");
  inspect->add_option("NAME", inspect_name, "network name")->required();
  auto* gc = app.add_subcommand("gc", "release leases of containers that no longer exist");
  CLI11_PARSE(app, argc, argv);

  try {
    using namespace hull::net;
    if (*ls) {
      std::vector<std::string> names = networks_with_state(paths);
      std::error_code ec;
      for (auto& e : std::filesystem::directory_iterator(paths.config_dir, ec))
        if (e.path().extension() == ".json") names.push_back(e.path().stem());
      std::sort(names.begin(), names.end());
      names.erase(std::unique(names.begin(), names.end()), names.end());
      std::printf("%-20s %-16s %-20s %s\n", "NETWORK", "BRIDGE", "SUBNET", "LEASES");
      for (auto& n : names) {
        std::string bridge = "-", subnet = "-";
        try {
          auto cfg = load_network(paths.config_dir, n);
          bridge = cfg.bridge;
          subnet = cfg.subnet.str();
        } catch (const hull::Error&) {
        }
        auto leases = LeaseStore(paths.state_dir + "/" + n).list();
        std::printf("%-20s %-16s %-20s %zu\n", n.c_str(), bridge.c_str(), subnet.c_str(),
                    leases.size());
      }
      return 0;
    }
    if (*inspect) {
      if (!valid_network_name(inspect_name))
        throw hull::Error("network name \"" + inspect_name + "\" is not valid");
      std::fputs(
          leases_to_json(LeaseStore(paths.state_dir + "/" + inspect_name).list(), true).c_str(),
          stdout);
      return 0;
    }
    if (*gc) {
      for (auto& r : hull::net::gc(paths)) std::printf("released %s\n", r.c_str());
      return 0;
    }
    return run_hook(paths, network, config_file, teardown);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "oci-bridge: %s\n", e.what());
    return 1;
  }
}
