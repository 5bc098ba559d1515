#include "container/userns.hpp"

#include <errno.h>
#include <unistd.h>

#include "hull/error.hpp"
#include "linux/procfs.hpp"
#include "linux/program_output.hpp"
#include "rootfs/mount_options.hpp"
#include "spec/id_maps.hpp"

namespace hull::container {
namespace {

bool own_single_id(const std::vector<spec::LinuxIDMapping>& maps, unsigned id) {
  return maps.size() == 1 && maps.front().hostID == id && maps.front().size == 1;
}

// The helper's output, trimmed, as the reason of the error.
std::string helper_words(const linux_::ProgramOutput& out) {
  std::string text = out.text;
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > 1024) text = text.substr(0, 1024) + "...";
  if (text.empty()) return "it could not be run (is it installed? Debian's package is uidmap)";
  return text;
}

void run_helper(const std::string& program, pid_t pid,
                const std::vector<spec::LinuxIDMapping>& maps) {
  linux_::ProgramOutput out = linux_::run_program(map_helper_argv(program, pid, maps));
  if (!out.ok) throw Error(program + " failed: " + helper_words(out));
}

}  // namespace

MapWriter uid_map_writer(const std::vector<spec::LinuxIDMapping>& maps, uid_t euid) {
  if (euid == 0 || own_single_id(maps, euid)) return MapWriter::kDirect;
  return MapWriter::kHelper;
}

MapWriter gid_map_writer(const std::vector<spec::LinuxIDMapping>& maps, uid_t euid, gid_t egid) {
  if (euid == 0) return MapWriter::kDirect;
  if (own_single_id(maps, egid)) return MapWriter::kDirectDenyFirst;
  return MapWriter::kHelper;
}

std::vector<std::string> map_helper_argv(const std::string& program, pid_t pid,
                                         const std::vector<spec::LinuxIDMapping>& maps) {
  std::vector<std::string> argv{program, std::to_string(pid)};
  for (const auto& m : maps) {
    argv.push_back(std::to_string(m.containerID));
    argv.push_back(std::to_string(m.hostID));
    argv.push_back(std::to_string(m.size));
  }
  return argv;
}

void check_bind_sources_readable(const spec::Spec& s, const std::string& bundle) {
  if (::geteuid() == 0) return;
  for (size_t i = 0; i < s.mounts.size(); ++i) {
    const spec::Mount& m = s.mounts[i];
    if (m.type != "bind" && !rootfs::parse_mount_options(m.options).bind()) continue;
    std::string src =
        m.source.empty() || m.source.front() == '/' ? m.source : bundle + "/" + m.source;
    // access(2) checks the real uid: the user who ran hull.
    if (::access(src.c_str(), R_OK) < 0) {
      throw Error::sys("config.json: /mounts/" + std::to_string(i) + " (" + m.destination +
                       "): bind source " + src + " is not readable by uid " +
                       std::to_string(::getuid()));
    }
  }
}

void write_id_maps(pid_t pid, const spec::Spec& s) {
  const auto& uids = s.linux_->uidMappings;
  const auto& gids = s.linux_->gidMappings;
  uid_t euid = ::geteuid();
  linux_::Fd proc;
  std::string base = std::to_string(pid);
  auto direct = [&](const char* file, const std::vector<spec::LinuxIDMapping>& maps) {
    if (!proc) proc = linux_::open_procfs();
    linux_::write_proc(proc.get(), base + "/" + file, spec::id_map_text(maps));
  };
  with_context("config.json: /linux/uidMappings", [&] {
    if (uid_map_writer(uids, euid) == MapWriter::kHelper) {
      run_helper("newuidmap", pid, uids);
    } else {
      direct("uid_map", uids);
    }
  });
  with_context("config.json: /linux/gidMappings", [&] {
    switch (gid_map_writer(gids, euid, ::getegid())) {
      case MapWriter::kHelper:
        run_helper("newgidmap", pid, gids);
        break;
      case MapWriter::kDirectDenyFirst:
        if (!proc) proc = linux_::open_procfs();
        linux_::write_proc(proc.get(), base + "/setgroups", "deny");
        [[fallthrough]];
      case MapWriter::kDirect:
        direct("gid_map", gids);
        break;
    }
  });
}

}  // namespace hull::container
