// update, events, ps: the commands that work on a container's cgroup.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <sstream>

#include "cgroups/events.hpp"
#include "cgroups/manager.hpp"
#include "cgroups/stats.hpp"
#include "cgroups/update.hpp"
#include "cli/commands.hpp"
#include "cli/numbers.hpp"
#include "container/lifecycle.hpp"
#include "hull/error.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"
#include "linux/close_fds.hpp"
#include "linux/files.hpp"
#include "linux/proc.hpp"
#include "linux/syscalls.hpp"
#include "spec/parse.hpp"
#include "state/store.hpp"

namespace hull::cli {
namespace {

void print_line(const std::string& text) {
  std::string line = text + "\n";
  std::string_view rest = line;
  while (!rest.empty()) {
    ssize_t n = ::write(1, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw Error::sys("writing to stdout");
    rest.remove_prefix(static_cast<size_t>(n));
  }
}

// A container that is not stopped, with its cgroup. The state dir's lock is dropped at once:
// events may run for hours and must not hold up kill or delete.
struct Target {
  state::Record record;
  std::unique_ptr<cgroups::Manager> cgroup;
};

Target open_target(const container::Globals& g, const std::string& id) {
  state::Store store(g.root);
  auto dir = store.open(id);
  Target t{dir.load(), nullptr};
  if (container::status_of(t.record, dir) == "stopped") {
    throw Error("container \"" + id + "\" is not running");
  }
  dir.unlock();
  t.cgroup =
      cgroups::reopen_manager(t.record.cgroup_path, t.record.cgroup_dirs, t.record.systemd_cgroup);
  return t;
}

std::string read_input(const std::string& path) {
  if (path == "-") return linux_::read_fd_bounded(0, json::kSpecBytes, "stdin");
  return linux_::read_file_bounded(path, json::kSpecBytes, linux_::FileKind::kAny);
}

// The ps child: the pipe as stdout and stderr, no other fd of ours, then ps. Never returns.
[[noreturn]] void ps_child(int out_fd, char* const* argv) noexcept {
  // Lifted above stdio first so that dup2 never lands on itself (and keeps close-on-exec).
  int out = ::fcntl(out_fd, F_DUPFD, 3);
  if (out >= 0 && ::dup2(out, 1) == 1 && ::dup2(out, 2) == 2) {
    linux_::close_fds_from(3);
    ::execvp("ps", argv);
  }
  ::_exit(127);
}

// Runs the host's ps with args and returns what it printed.
std::string run_ps(const std::vector<std::string>& args) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) < 0) throw Error::sys("pipe for ps");
  linux_::Fd rd(p[0]), wr(p[1]);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("ps"));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw Error::sys("fork for ps");
  if (pid == 0) ps_child(wr.get(), argv.data());
  wr.reset();
  std::string out;
  char buf[8192];
  ssize_t n;
  while ((n = ::read(rd.get(), buf, sizeof(buf))) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw Error("ps " + (args.empty() ? "" : args.front()) + " failed: " + out);
  }
  return out;
}

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (ss >> f) out.push_back(f);
  return out;
}

// The header and the rows of ps's output whose PID column is one of pids.
void print_ps_table(const std::string& output, const std::vector<pid_t>& pids) {
  std::stringstream in(output);
  std::string header;
  std::getline(in, header);
  auto names = fields_of(header);
  auto col = std::find(names.begin(), names.end(), "PID");
  if (col == names.end()) throw Error("ps: couldn't find the PID field in ps output");
  size_t index = static_cast<size_t>(col - names.begin());
  print_line(header);
  std::string line;
  while (std::getline(in, line)) {
    auto f = fields_of(line);
    if (f.size() <= index) continue;
    auto pid = static_cast<pid_t>(parse_int(f[index], "ps: PID column", 1, INT32_MAX));
    if (std::find(pids.begin(), pids.end(), pid) != pids.end()) print_line(line);
  }
}

// runc's update flags: each is kept as text until the command runs, then parsed by the one
// checked parser so that a bad value is an error naming the flag (and lands in --log).
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

void add_update(CLI::App& app, Context& ctx) {
  static std::string id, resources;
  static std::map<std::string, std::string> texts;
  auto* up = app.add_subcommand("update", "change a container's resource limits");
  up->add_option("id", id, "container id")->required();
  up->add_option("-r,--resources", resources,
                 "JSON linux resources from FILE or - (stdin); other flags are then ignored");
  for (const auto& flag : kUpdateFlags) up->add_option(flag.name, texts[flag.name], flag.help);
  up->callback(command(ctx, [&ctx, up] {
    spec::LinuxResources r;
    std::string origin;
    if (!resources.empty()) {
      std::string source = resources == "-" ? "stdin" : resources;
      r = spec::parse_resources(read_input(resources), source);
      cgroups::drop_zero_values(r);
      origin = source + ": ";
    } else {
      cgroups::UpdateFlags f;
      for (const auto& flag : kUpdateFlags) {
        if (up->count(flag.name)) flag.apply(f, texts[flag.name], flag.name);
      }
      r = cgroups::resources_from_flags(f);
      origin = "update: ";
    }
    Target t = open_target(ctx.globals, id);
    t.cgroup->apply(r, origin, true);
  }));
}

void add_events(CLI::App& app, Context& ctx) {
  static std::string id, interval = "5s";
  static bool stats = false;
  auto* ev = app.add_subcommand("events", "print container stats and OOM events as JSON lines");
  ev->add_option("id", id, "container id")->required();
  ev->add_flag("--stats", stats, "print the stats once and exit");
  ev->add_option("--interval", interval, "time between stats events")->capture_default_str();
  ev->callback(command(ctx, [&ctx] {
    auto every = parse_duration(interval, "--interval");
    Target t = open_target(ctx.globals, id);
    if (stats) {
      print_line(cgroups::stats_event_json(id, t.cgroup->stats()));
      return;
    }
    linux_::Fd pidfd = linux_::pidfd_open(t.record.pid);
    // The pid may have been reused between the status check and the open.
    if (!linux_::process_alive(t.record.pid, t.record.start_time)) return;
    cgroups::watch_events(*t.cgroup, id, pidfd.get(), every, print_line);
  }));
}

void add_ps(CLI::App& app, Context& ctx) {
  static std::string format = "table";
  auto* ps = app.add_subcommand("ps", "list the processes of a container: ps ID [ps options]");
  ps->add_option("-f,--format", format, "table or json")->capture_default_str();
  // Everything from the id on is ours to hand to ps ("ps ID -ef" must not parse -e -f).
  ps->prefix_command();
  ps->callback(command(ctx, [&ctx, ps] {
    std::vector<std::string> rest = ps->remaining();
    if (rest.empty()) throw Error("ps: missing the container id");
    std::string id = rest.front();
    rest.erase(rest.begin());
    if (format != "table" && format != "json") {
      throw Error("--format: expected table or json, got \"" + format + "\"");
    }
    Target t = open_target(ctx.globals, id);
    auto pids = t.cgroup->pids();
    if (format == "json") {
      if (!rest.empty()) throw Error("ps: options for ps cannot be combined with --format json");
      std::string out = "[";
      for (size_t i = 0; i < pids.size(); ++i) out += (i ? "," : "") + std::to_string(pids[i]);
      print_line(out + "]");
      return;
    }
    if (rest.empty()) rest = {"-ef"};
    print_ps_table(run_ps(rest), pids);
  }));
}

}  // namespace

void add_cgroup_commands(CLI::App& app, Context& ctx) {
  add_update(app, ctx);
  add_events(app, ctx);
  add_ps(app, ctx);
}

}  // namespace hull::cli
