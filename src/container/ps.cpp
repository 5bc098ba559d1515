#include "container/ps.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <sstream>

#include "container/cgroup_target.hpp"
#include "hull/error.hpp"
#include "linux/dir_names.hpp"
#include "linux/program_output.hpp"

namespace hull::container {
namespace {

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string f;
  while (ss >> f) out.push_back(f);
  return out;
}

pid_t pid_field(const std::string& text) {
  int32_t pid = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), pid);
  if (ec != std::errc() || end != text.data() + text.size() || pid < 1) {
    throw Error("ps: PID column: invalid value \"" + text + "\"");
  }
  return pid;
}

// The processes in the init's pid namespace: where no cgroup holds the container (a rootless
// run without a writable cgroup, --cgroup-manager disabled) the namespace still does.
std::vector<pid_t> pid_namespace_members(pid_t init) {
  struct stat ns;
  if (::stat(("/proc/" + std::to_string(init) + "/ns/pid").c_str(), &ns) < 0) {
    throw Error::sys("ps: the init's pid namespace (/proc/" + std::to_string(init) + "/ns/pid)");
  }
  std::vector<pid_t> out;
  struct stat self;
  if (::stat("/proc/self/ns/pid", &self) == 0 && self.st_dev == ns.st_dev &&
      self.st_ino == ns.st_ino) {
    return {init};  // the host's pid namespace: only the init is known to be the container's
  }
  for (linux_::DirNames d("/proc"); d.next();) {
    char* end = nullptr;
    long pid = std::strtol(d.name(), &end, 10);
    if (pid <= 0 || *end) continue;
    struct stat st;
    std::string path = std::string("/proc/") + d.name() + "/ns/pid";
    if (::stat(path.c_str(), &st) == 0 && st.st_dev == ns.st_dev && st.st_ino == ns.st_ino) {
      out.push_back(static_cast<pid_t>(pid));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string ps_json(const std::vector<pid_t>& pids) {
  std::string out = "[";
  for (size_t i = 0; i < pids.size(); ++i) out += (i ? "," : "") + std::to_string(pids[i]);
  return out + "]\n";
}

std::string filter_ps_table(const std::string& ps_output, const std::vector<pid_t>& pids) {
  std::stringstream in(ps_output);
  std::string header;
  std::getline(in, header);
  auto names = fields_of(header);
  auto col = std::find(names.begin(), names.end(), "PID");
  if (col == names.end()) throw Error("ps: couldn't find the PID field in ps output");
  size_t index = static_cast<size_t>(col - names.begin());
  std::string out = header + "\n";
  std::string line;
  while (std::getline(in, line)) {
    auto f = fields_of(line);
    if (f.size() <= index) continue;
    if (std::find(pids.begin(), pids.end(), pid_field(f[index])) != pids.end()) {
      out += line + "\n";
    }
  }
  return out;
}

std::string container_ps(const Globals& g, const PsRequest& r) {
  CgroupTarget t = open_cgroup_target(g, r.id);
  // A container no cgroup holds (no cgroup dirs recorded: a user without a writable cgroup,
  // --cgroup-manager disabled) is what its pid namespace holds.
  std::vector<pid_t> pids = t.record.cgroup_dirs.empty() && t.record.pid > 0
                                ? pid_namespace_members(t.record.pid)
                                : t.cgroup->pids();
  if (r.format == PsFormat::kJson) {
    if (!r.ps_args.empty()) throw Error("ps: options for ps cannot be combined with --format json");
    return ps_json(pids);
  }
  std::vector<std::string> argv = {"ps"};
  if (r.ps_args.empty()) {
    argv.push_back("-ef");
  } else {
    argv.insert(argv.end(), r.ps_args.begin(), r.ps_args.end());
  }
  auto out = linux_::run_program(argv);
  if (!out.ok) throw Error("ps " + argv[1] + " failed: " + out.text);
  return filter_ps_table(out.text, pids);
}

}  // namespace hull::container
