// state, list, spec, pause, resume
#include <cstdio>

#include "cli/commands.hpp"
#include "container/lifecycle.hpp"
#include "container/list.hpp"
#include "hull/error.hpp"

namespace hull::cli {
namespace {

void print(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
}

}  // namespace

bool json_format(const std::string& format) {
  if (format == "json") return true;
  if (format == "table") return false;
  throw Error("--format: expected table or json, got \"" + format + "\"");
}

void bind_state(CLI::App* sub, Options& o) {
  sub->add_option("id", o.state.id, "container id")->required();
}

void bind_list(CLI::App* sub, Options& o) {
  sub->add_option("-f,--format", o.list.format, "table or json")->capture_default_str();
  sub->add_flag("-q,--quiet", o.list.quiet, "print only the ids");
}

void bind_spec(CLI::App* sub, Options& o) {
  sub->add_option("-b,--bundle", o.spec.bundle, "bundle directory")->capture_default_str();
  sub->add_flag("--rootless", o.spec.rootless, "a config for an unprivileged user");
}

void bind_pause(CLI::App* sub, Options& o) {
  sub->add_option("id", o.pause.id, "container id")->required();
}

void bind_resume(CLI::App* sub, Options& o) {
  sub->add_option("id", o.resume.id, "container id")->required();
}

int state_command(const Options& o, const container::Globals& g) {
  print(container::state_json(g, o.state.id) + "\n");
  return 0;
}

int list_command(const Options& o, const container::Globals& g) {
  auto entries = container::list_containers(g);
  if (o.list.quiet) {
    print(container::list_ids(entries));
  } else {
    print(json_format(o.list.format) ? container::list_json(entries)
                                     : container::list_table(entries));
  }
  return 0;
}

int spec_command(const Options& o, const container::Globals&) {
  container::write_default_spec(o.spec.bundle, o.spec.rootless);
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
