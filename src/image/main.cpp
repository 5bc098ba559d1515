// oci-image: OCI images to runnable bundles and back. Parsing only; the work is in the library.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <iostream>

#include "hull/error.hpp"
#include "image/bundle.hpp"
#include "image/info.hpp"

using namespace hull::image;

namespace {

struct BundleArgs {
  std::string ref, bundle, platform, tmpdir = "/tmp", entrypoint;
  bool entrypoint_set = false;
  std::vector<std::string> uid_maps, gid_maps, ports;
  BundleOptions opts;
};

void add_bundle_options(CLI::App* sub, BundleArgs& b) {
  sub->add_option("ref", b.ref, "image: oci:DIR[:TAG], oci-archive:FILE[:TAG], docker-archive:FILE")
      ->required();
  sub->add_option("bundle", b.bundle, "bundle directory to make")->required();
  sub->add_option("command", b.opts.config.cmd, "replaces the image's Cmd");
  sub->add_option("--platform", b.platform, "OS/ARCH[/VARIANT] to pick from an index");
  sub->add_option("--tmpdir", b.tmpdir, "where archives are unpacked to be read");
  sub->add_flag("--rootless", b.opts.apply.rootless,
                "config for a user namespace; device nodes skipped, ownership mapped");
  sub->add_option("--uid-map", b.uid_maps, "CONTAINERID:HOSTID:SIZE (repeatable)");
  sub->add_option("--gid-map", b.gid_maps, "CONTAINERID:HOSTID:SIZE (repeatable)");
  sub->add_option("--entrypoint", b.entrypoint, "replaces the image's Entrypoint (and Cmd)")
      ->each([&](const std::string&) { b.entrypoint_set = true; });
  sub->add_option("-e,--env", b.opts.config.env, "KEY=VALUE added to the environment");
  sub->add_option("--hostname", b.opts.config.hostname, "container hostname");
  sub->add_option("--user", b.opts.config.user, "replaces the image's User");
  sub->add_option("--cwd", b.opts.config.cwd, "replaces the image's WorkingDir");
  sub->add_option("--network", b.opts.config.network, "add oci-bridge hooks for this network");
  sub->add_option("-p,--publish", b.ports, "[HOSTIP:]HOSTPORT:CONTPORT[/PROTO] (with --network)");
  sub->add_option("--bridge-path", b.opts.config.bridge_path, "the oci-bridge executable");
  sub->add_option("--store", b.opts.store, "layer store of prepare")->capture_default_str();
}

void finish_bundle_options(BundleArgs& b) {
  b.opts.open.platform = parse_platform(b.platform);
  b.opts.open.scratch_parent = b.tmpdir;
  auto& c = b.opts.config;
  if (b.entrypoint_set) c.entrypoint = b.entrypoint;
  for (const auto& m : b.uid_maps) c.uid_map.push_back(parse_id_mapping(m, "--uid-map"));
  for (const auto& m : b.gid_maps) c.gid_map.push_back(parse_id_mapping(m, "--gid-map"));
  c.rootless = b.opts.apply.rootless;
  c.host_uid = ::getuid();
  c.host_gid = ::getgid();
  b.opts.apply.uid_map = c.uid_map;
  b.opts.apply.gid_map = c.gid_map;
  if (c.rootless && c.uid_map.empty()) b.opts.apply.uid_map = {{0, c.host_uid, 1}};
  if (c.rootless && c.gid_map.empty()) b.opts.apply.gid_map = {{0, c.host_gid, 1}};
  if (!b.ports.empty() && c.network.empty()) throw hull::Error("-p needs --network");
  c.ports = b.ports;
  for (const auto& p : c.ports) normalize_port(p);
  if (!c.network.empty()) c.bridge_path = find_bridge(c.bridge_path);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"oci-image: OCI images to runnable bundles, and bundles back to images"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("oci-image ") + HULL_VERSION);

  BundleArgs unpack_args, prepare_args;
  auto* unpack_cmd = app.add_subcommand("unpack", "write BUNDLE/rootfs and BUNDLE/config.json");
  add_bundle_options(unpack_cmd, unpack_args);
  auto* prepare_cmd =
      app.add_subcommand("prepare", "like unpack, with an overlay rootfs over cached layers");
  add_bundle_options(prepare_cmd, prepare_args);

  std::vector<std::string> release_bundles;
  auto* release_cmd = app.add_subcommand("release", "unmount and remove a bundle's rootfs");
  release_cmd->add_option("bundle", release_bundles, "bundles")->required();

  std::string commit_bundle, commit_ref;
  CommitOptions commit_opts;
  auto* commit_cmd = app.add_subcommand("commit", "add a bundle's changes to an image as a layer");
  commit_cmd->add_option("bundle", commit_bundle)->required();
  commit_cmd->add_option("ref", commit_ref, "oci:DIR[:TAG] (tag latest by default)")->required();
  commit_cmd->add_option("--author", commit_opts.author);
  commit_cmd->add_option("-m,--message", commit_opts.message, "history comment");

  std::string ls_dir;
  auto* ls_cmd = app.add_subcommand("ls", "list the images of an OCI layout");
  ls_cmd->add_option("dir", ls_dir)->required();

  std::string inspect_ref, inspect_platform, inspect_tmp = "/tmp";
  auto* inspect_cmd = app.add_subcommand("inspect", "summarise an image as JSON");
  inspect_cmd->add_option("ref", inspect_ref)->required();
  inspect_cmd->add_option("--platform", inspect_platform);
  inspect_cmd->add_option("--tmpdir", inspect_tmp);

  std::string gc_store = BundleOptions{}.store;
  std::vector<std::string> gc_keep;
  auto* gc_cmd = app.add_subcommand("gc", "remove store layers no prepared bundle uses");
  gc_cmd->add_option("--store", gc_store)->capture_default_str();
  gc_cmd->add_option("--keep", gc_keep, "also keep the layers of this image (repeatable)");

  CLI11_PARSE(app, argc, argv);
  try {
    if (unpack_cmd->parsed()) {
      finish_bundle_options(unpack_args);
      unpack(parse_ref(unpack_args.ref), unpack_args.bundle, unpack_args.opts);
    } else if (prepare_cmd->parsed()) {
      finish_bundle_options(prepare_args);
      prepare(parse_ref(prepare_args.ref), prepare_args.bundle, prepare_args.opts);
    } else if (release_cmd->parsed()) {
      for (const auto& b : release_bundles) release(b);
    } else if (commit_cmd->parsed()) {
      std::cout << commit(commit_bundle, parse_ref(commit_ref), commit_opts) << "\n";
    } else if (ls_cmd->parsed()) {
      std::cout << list_layout(ls_dir);
    } else if (inspect_cmd->parsed()) {
      OpenOptions o;
      o.platform = parse_platform(inspect_platform);
      o.scratch_parent = inspect_tmp;
      std::cout << inspect(open_image(parse_ref(inspect_ref), o));
    } else if (gc_cmd->parsed()) {
      std::vector<Ref> keep;
      for (const auto& k : gc_keep) keep.push_back(parse_ref(k));
      for (const auto& r : gc(gc_store, keep, OpenOptions{})) std::cout << "removed " << r << "\n";
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "oci-image: %s\n", e.what());
    return 1;
  }
  return 0;
}
