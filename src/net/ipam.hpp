// Address leases of one network, persisted in STATE_DIR/NAME/leases.json and guarded by an
// flock on STATE_DIR/NAME/lock, so hooks of concurrent containers never hand out one address
// twice. Keyed by container id: a repeated hook call gets the same lease back.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "net/addr.hpp"
#include "net/config.hpp"

namespace hull::net {

struct Lease {
  std::string id;
  uint64_t index = 0;  // the address's index in the subnet (and in subnet6)
  IpAddr ip4;
  std::optional<IpAddr> ip6;
  std::string bridge;
  std::string veth;   // host end, so teardown needs neither the pid nor the config
  std::string ports;  // hull.net.ports as published
  int pid = 0;
  uint64_t start_time = 0;  // of pid, from /proc/PID/stat: tells a reused pid apart
};

class LeaseStore {
 public:
  // dir is STATE_DIR/NAME; it is created on first write.
  explicit LeaseStore(std::string dir) : dir_(std::move(dir)) {}

  // The lease of `lease.id` if it has one (pid, veth, ports refreshed from `lease`), else a new
  // one at `requested` or the lowest free address. Throws on exhaustion or a taken request.
  Lease acquire(const NetworkConfig& cfg, Lease lease, const std::optional<IpAddr>& requested);
  std::optional<Lease> find(const std::string& id) const;
  // Removes the lease; false when there was none. When it was the network's last, if_last runs
  // still under the lock, so no other container of the network is between its lease and its
  // use of the bridge (a failed first setup removes the bridge it made there).
  bool release(const std::string& id, const std::function<void()>& if_last = nullptr);
  std::vector<Lease> list() const;
  const std::string& dir() const { return dir_; }

 private:
  std::vector<Lease> load() const;
  void store(const std::vector<Lease>& leases) const;

  std::string dir_;
};

std::string leases_to_json(const std::vector<Lease>& leases, bool pretty);

}  // namespace hull::net
