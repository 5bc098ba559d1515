// update, events, ps: the commands that work on a container's cgroup.
#include <limits>

#include "cli/commands.hpp"
#include "cli/numbers.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"

namespace hull::cli {
namespace {

// events streams: each line is written at once, unbuffered.
void write_stdout(const std::string& text) {
  linux_::write_all(1, text, "to stdout");
}

// runc's update flags: each is kept as text (UpdateFlags::values) until the command runs,
// then parsed by the one checked parser so that a bad value is an error naming the flag.
struct UpdateFlag {
  const char* name;
  const char* help;
  void (*apply)(cgroups::UpdateFlags& f, const std::string& text, const char* name);
};

template <typename T>
void set_uint(std::optional<T>& into, const std::string& text, const char* name,
              uint64_t max = std::numeric_limits<T>::max()) {
  into = static_cast<T>(parse_uint(text, name, max));
}

void set_int(std::optional<int64_t>& into, const std::string& text, const char* name) {
  into = parse_int(text, name, INT64_MIN, INT64_MAX);
}

const UpdateFlag kUpdateFlags[] = {
    {"--memory", "memory limit (e.g. 512m, -1 = unlimited)",
     [](auto& f, auto& t, auto n) { f.memory = parse_size(t, n); }},
    {"--memory-reservation", "memory soft limit",
     [](auto& f, auto& t, auto n) { f.memory_reservation = parse_size(t, n); }},
    {"--memory-swap", "memory plus swap limit",
     [](auto& f, auto& t, auto n) { f.memory_swap = parse_size(t, n); }},
    {"--kernel-memory", "kernel memory limit (deprecated)",
     [](auto& f, auto& t, auto n) { f.kernel_memory = parse_size(t, n); }},
    {"--kernel-memory-tcp", "kernel TCP buffer limit",
     [](auto& f, auto& t, auto n) { f.kernel_memory_tcp = parse_size(t, n); }},
    {"--cpu-share", "CPU shares (relative weight)",
     [](auto& f, auto& t, auto n) { set_uint(f.cpu_shares, t, n); }},
    {"--cpu-period", "CPU CFS period in microseconds",
     [](auto& f, auto& t, auto n) { set_uint(f.cpu_period, t, n); }},
    {"--cpu-quota", "CPU CFS quota in microseconds per period (-1: unlimited)",
     [](auto& f, auto& t, auto n) { set_int(f.cpu_quota, t, n); }},
    {"--cpu-burst", "CPU CFS burst in microseconds",
     [](auto& f, auto& t, auto n) { set_uint(f.cpu_burst, t, n); }},
    {"--cpu-rt-period", "real-time period in microseconds",
     [](auto& f, auto& t, auto n) { set_uint(f.cpu_rt_period, t, n); }},
    {"--cpu-rt-runtime", "real-time runtime in microseconds",
     [](auto& f, auto& t, auto n) { set_int(f.cpu_rt_runtime, t, n); }},
    {"--cpu-idle", "1: SCHED_IDLE for the cgroup",
     [](auto& f, auto& t, auto n) { f.cpu_idle = parse_int(t, n, 0, 1); }},
    {"--cpuset-cpus", "CPUs allowed (e.g. 0-1)", [](auto& f, auto& t, auto) { f.cpuset_cpus = t; }},
    {"--cpuset-mems", "memory nodes allowed", [](auto& f, auto& t, auto) { f.cpuset_mems = t; }},
    {"--pids-limit", "maximum number of processes (-1: unlimited)",
     [](auto& f, auto& t, auto n) { set_int(f.pids_limit, t, n); }},
    {"--blkio-weight", "block IO weight (10 to 1000)",
     [](auto& f, auto& t, auto n) { f.blkio_weight = parse_int(t, n, 10, 1000); }},
};

}  // namespace

container::UpdateRequest update_request(const UpdateFlags& f) {
  container::UpdateRequest r{f.id, f.resources, {}};
  if (!r.resources_file.empty()) return r;  // the document wins; the flags are ignored
  for (const auto& flag : kUpdateFlags) {
    auto it = f.values.find(flag.name);
    if (it != f.values.end()) flag.apply(r.flags, it->second, flag.name);
  }
  return r;
}

container::EventsRequest events_request(const EventsFlags& f) {
  return {f.id, f.stats, parse_duration(f.interval, "--interval")};
}

container::PsRequest ps_request(const PsFlags& f) {
  if (f.args.empty()) throw Error("ps: missing the container id");
  container::PsFormat format =
      json_format(f.format) ? container::PsFormat::kJson : container::PsFormat::kTable;
  return {f.args.front(), format, {f.args.begin() + 1, f.args.end()}};
}

void bind_update(CLI::App* up, Options& o) {
  up->add_option("id", o.update.id, "container id")->required();
  up->add_option("-r,--resources", o.update.resources,
                 "JSON linux resources from FILE or - (stdin); other flags are then ignored");
  for (const auto& flag : kUpdateFlags) {
    std::string name = flag.name;
    up->add_option_function<std::string>(
        name, [&o, name](const std::string& v) { o.update.values[name] = v; }, flag.help);
  }
}

void bind_events(CLI::App* ev, Options& o) {
  ev->add_option("id", o.events.id, "container id")->required();
  ev->add_flag("--stats", o.events.stats, "print the stats once and exit");
  ev->add_option("--interval", o.events.interval, "time between stats events")
      ->capture_default_str();
}

void bind_ps(CLI::App* ps, Options& o) {
  ps->add_option("-f,--format", o.ps.format, "table or json")->capture_default_str();
  // Everything from the id on is ours to hand to ps ("ps ID -ef" must not parse -e -f).
  ps->prefix_command();
  ps->parse_complete_callback([&o, ps] { o.ps.args = ps->remaining(); });
}

int update_command(const Options& o, const container::Globals& g) {
  container::update_container(g, update_request(o.update));
  return 0;
}

int events_command(const Options& o, const container::Globals& g) {
  container::container_events(g, events_request(o.events),
                              [](const std::string& line) { write_stdout(line + "\n"); });
  return 0;
}

int ps_command(const Options& o, const container::Globals& g) {
  write_stdout(container::container_ps(g, ps_request(o.ps)));
  return 0;
}

}  // namespace hull::cli
