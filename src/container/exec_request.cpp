// exec's flags over the process it starts: runc's rules, so engines and scripts see the same.
#include <cctype>

#include "container/exec.hpp"
#include "hull/error.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"
#include "linux/capability_names.hpp"
#include "linux/files.hpp"
#include "spec/ids.hpp"
#include "spec/parse.hpp"

namespace hull::container {
namespace {

// An entry of -e replaces the one of the same name, so PATH and the rest survive.
void merge_env(std::vector<std::string>& env, const std::string& entry) {
  auto eq = entry.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw Error("--env \"" + entry + "\": expected NAME=VALUE");
  }
  std::string prefix = entry.substr(0, eq + 1);
  for (auto& e : env) {
    if (e.rfind(prefix, 0) == 0) {
      e = entry;
      return;
    }
  }
  env.push_back(entry);
}

std::string cap_name(const std::string& flag_value) {
  std::string n;
  for (char c : flag_value) n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (n.rfind("CAP_", 0) != 0) n = "CAP_" + n;
  if (!linux_::capability_number(n))
    throw Error("--cap \"" + flag_value + "\": unknown capability");
  return n;
}

void add_caps(spec::Process& p, const std::vector<std::string>& caps) {
  if (caps.empty()) return;
  if (!p.capabilities) p.capabilities.emplace();
  auto& c = *p.capabilities;
  for (const auto& flag : caps) {
    std::string n = cap_name(flag);
    c.bounding.push_back(n);
    c.effective.push_back(n);
    c.permitted.push_back(n);
    // Ambient needs the inheritable bit: only where the config already grants some.
    if (!c.inheritable.empty()) {
      c.inheritable.push_back(n);
      c.ambient.push_back(n);
    }
  }
}

}  // namespace

spec::Process exec_process_spec(const ExecOptions& o, const spec::Spec& saved,
                                std::string& source) {
  spec::Process p;
  if (!o.process_file.empty()) {
    source = o.process_file;
    // Any readable file, as runc takes it (/dev/stdin, a pipe from <(...)), but bounded.
    p = spec::parse_process(
        linux_::read_file_bounded(o.process_file, json::kSpecBytes, linux_::FileKind::kAny),
        o.process_file);
  } else {
    if (!saved.process) throw Error("config.json: /process: missing in the saved config");
    if (o.args.empty()) throw Error("exec: no command: give COMMAND [ARGS...] or --process FILE");
    source = "config.json: /process";
    p = *saved.process;
    p.terminal = false;
    p.consoleSize.reset();
  }
  if (!o.args.empty()) p.args = o.args;
  if (o.tty) p.terminal = *o.tty;
  if (!o.cwd.empty()) {
    if (o.cwd.front() != '/') throw Error("--cwd \"" + o.cwd + "\": must be an absolute path");
    p.cwd = o.cwd;
  }
  for (const auto& e : o.env) merge_env(p.env, e);
  if (!o.user.empty()) {
    auto colon = o.user.find(':');
    p.user.uid = spec::parse_id(o.user.substr(0, colon), "--user");
    if (colon != std::string::npos) p.user.gid = spec::parse_id(o.user.substr(colon + 1), "--user");
  }
  for (uint32_t gid : o.additional_gids) p.user.additionalGids.push_back(gid);
  add_caps(p, o.caps);
  if (o.no_new_privs) p.noNewPrivileges = true;
  if (!o.apparmor.empty()) p.apparmorProfile = o.apparmor;
  if (!o.process_label.empty()) p.selinuxLabel = o.process_label;

  if (p.terminal && o.detach && o.console_socket.empty()) {
    throw Error("exec: a terminal with --detach needs --console-socket to send it to");
  }
  if (!p.terminal && !o.console_socket.empty()) {
    throw Error("exec: --console-socket is only used with a terminal (--tty)");
  }
  return p;
}

}  // namespace hull::container
