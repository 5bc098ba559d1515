// The operations on an existing container: status, start, kill, delete, state, list.
#pragma once

#include <string>
#include <vector>

#include "container/options.hpp"
#include "spec/model.hpp"
#include "state/record.hpp"
#include "state/store.hpp"

namespace hull::container {

// created | running | paused | stopped, derived from the process, the fifo and the freezer;
// a record still marked creating, read under our own lock, is a create that died: stopped.
std::string status_of(const state::Record& r, const state::ContainerDir& dir);

void start_container(const Globals& g, const std::string& id);
// sig 0 only checks that the init (or, with all, each process) still exists.
void kill_container(const Globals& g, const std::string& id, int sig, bool all);
void delete_container(const Globals& g, const std::string& id, bool force);
std::string state_json(const Globals& g, const std::string& id);
void pause_container(const Globals& g, const std::string& id, bool pause);

struct ListEntry {
  state::Record record;
  std::string status;
};
std::vector<ListEntry> list_containers(const Globals& g);

// Runs poststop hooks, removes the cgroup and the state dir of a stopped container.
void destroy(const state::Record& r, state::ContainerDir& dir);
// The same with the container's saved config already loaded.
void destroy(const state::Record& r, state::ContainerDir& dir, const spec::Spec& s);

}  // namespace hull::container
