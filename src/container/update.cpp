#include "container/update.hpp"

#include "container/cgroup_target.hpp"
#include "json/limits.hpp"
#include "linux/bounded_read.hpp"
#include "spec/parse.hpp"

namespace hull::container {
namespace {

std::string read_document(const std::string& path) {
  if (path == "-") return linux_::read_fd_bounded(0, json::kSpecBytes, "stdin");
  return linux_::read_file_bounded(path, json::kSpecBytes, linux_::FileKind::kAny);
}

}  // namespace

void update_container(const Globals& g, const UpdateRequest& req) {
  spec::LinuxResources r;
  std::string origin;
  if (!req.resources_file.empty()) {
    std::string source = req.resources_file == "-" ? "stdin" : req.resources_file;
    r = spec::parse_resources(read_document(req.resources_file), source);
    cgroups::drop_zero_values(r);
    origin = source + ": ";
  } else {
    r = cgroups::resources_from_flags(req.flags);
    origin = "update: ";
  }
  CgroupTarget t = open_cgroup_target(g, req.id);
  t.cgroup->apply(r, origin, true);
}

}  // namespace hull::container
