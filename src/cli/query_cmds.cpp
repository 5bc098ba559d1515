// state, list, spec, pause, resume
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "cli/commands.hpp"
#include "container/lifecycle.hpp"
#include "hull/error.hpp"
#include "linux/files.hpp"
#include "spec/defaults.hpp"
#include "state/record.hpp"

namespace hull::cli {
namespace {

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

void print_table(const std::vector<container::ListEntry>& entries) {
  std::vector<std::array<std::string, 6>> rows = {
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const auto& e : entries) {
    rows.push_back({e.record.id, std::to_string(e.status == "stopped" ? 0 : e.record.pid), e.status,
                    e.record.bundle, e.record.created,
                    e.record.owner.empty() ? "root" : e.record.owner});
  }
  std::array<size_t, 6> width{};
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size());
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line += std::string(width[i] - r[i].size() + 4, ' ');
    }
    print(line + "\n");
  }
}

void print_json(const std::vector<container::ListEntry>& entries) {
  std::string out = "[";
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i) out += ",";
    out += state::oci_state_json(entries[i].record, entries[i].status, false);
  }
  print(out + "]\n");
}

}  // namespace

bool json_format(const std::string& format) {
  if (format == "json") return true;
  if (format == "table") return false;
  throw Error("--format: expected table or json, got \"" + format + "\"");
}

void bind_query_commands(CLI::App& app, Options& o) {
  auto* st = app.add_subcommand("state", "print the OCI state of a container");
  st->add_option("id", o.state.id, "container id")->required();

  auto* list = app.add_subcommand("list", "list containers");
  list->alias("ls");
  list->add_option("-f,--format", o.list.format, "table or json")->capture_default_str();
  list->add_flag("-q,--quiet", o.list.quiet, "print only the ids");

  auto* spec = app.add_subcommand("spec", "write a default config.json");
  spec->add_option("-b,--bundle", o.spec.bundle, "bundle directory")->capture_default_str();
  spec->add_flag("--rootless", o.spec.rootless, "a config for an unprivileged user");

  auto* pause = app.add_subcommand("pause", "freeze every process of a container");
  pause->add_option("id", o.pause.id, "container id")->required();
  auto* resume = app.add_subcommand("resume", "thaw a paused container");
  resume->add_option("id", o.resume.id, "container id")->required();
}

int state_command(const Options& o, const container::Globals& g) {
  print(container::state_json(g, o.state.id) + "\n");
  return 0;
}

int list_command(const Options& o, const container::Globals& g) {
  auto entries = container::list_containers(g);
  if (o.list.quiet) {
    for (const auto& e : entries) print(e.record.id + "\n");
  } else if (json_format(o.list.format)) {
    print_json(entries);
  } else {
    print_table(entries);
  }
  return 0;
}

int spec_command(const Options& o, const container::Globals&) {
  std::string path = o.spec.bundle + "/config.json";
  if (linux_::exists(path)) throw Error(path + " exists: remove it first");
  linux_::write_file(path, spec::default_spec_json(o.spec.rootless, ::getuid(), ::getgid()), true,
                     0644);
  return 0;
}

int pause_command(const Options& o, const container::Globals& g) {
  container::pause_container(g, o.pause.id, true);
  return 0;
}

int resume_command(const Options& o, const container::Globals& g) {
  container::pause_container(g, o.resume.id, false);
  return 0;
}

}  // namespace hull::cli
