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

void print(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

void print_table(const std::vector<container::ListEntry>& entries) {
  std::vector<std::array<std::string, 6>> rows = {
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const auto& e : entries) {
    rows.push_back({e.record.id, std::to_string(e.status == "stopped" ? 0 : e.record.pid),
                    e.status, e.record.bundle, e.record.created,
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

void add_query_commands(CLI::App& app, Context& ctx) {
  static std::string id;
  auto* st = app.add_subcommand("state", "print the OCI state of a container");
  st->add_option("id", id, "container id")->required();
  st->callback(command(ctx, [&ctx] { print(container::state_json(ctx.globals, id) + "\n"); }));

  static std::string format = "table";
  static bool quiet = false;
  auto* list = app.add_subcommand("list", "list containers");
  list->alias("ls");
  list->add_option("-f,--format", format, "table or json")->capture_default_str();
  list->add_flag("-q,--quiet", quiet, "print only the ids");
  list->callback(command(ctx, [&ctx] {
    auto entries = container::list_containers(ctx.globals);
    if (quiet) {
      for (const auto& e : entries) print(e.record.id + "\n");
    } else if (format == "json") {
      print_json(entries);
    } else if (format == "table") {
      print_table(entries);
    } else {
      throw Error("--format: expected table or json, got \"" + format + "\"");
    }
  }));

  static std::string bundle = ".";
  static bool rootless = false;
  auto* spec = app.add_subcommand("spec", "write a default config.json");
  spec->add_option("-b,--bundle", bundle, "bundle directory")->capture_default_str();
  spec->add_flag("--rootless", rootless, "a config for an unprivileged user");
  spec->callback(command(ctx, [] {
    std::string path = bundle + "/config.json";
    if (linux_::exists(path)) throw Error(path + " exists: remove it first");
    linux_::write_file(path, spec::default_spec_json(rootless, ::getuid(), ::getgid()), true,
                       0644);
  }));

  auto* pause = app.add_subcommand("pause", "freeze every process of a container");
  pause->add_option("id", id, "container id")->required();
  pause->callback(command(ctx, [&ctx] { container::pause_container(ctx.globals, id, true); }));
  auto* resume = app.add_subcommand("resume", "thaw a paused container");
  resume->add_option("id", id, "container id")->required();
  resume->callback(command(ctx, [&ctx] { container::pause_container(ctx.globals, id, false); }));
}

}  // namespace hull::cli
