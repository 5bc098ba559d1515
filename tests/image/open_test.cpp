// Resolving references: index → manifest → config → layers, with every blob checked.
#include <fcntl.h>
#include <gtest/gtest.h>

#include "builder.hpp"
#include "hull/error.hpp"
#include "image/apply.hpp"
#include "image/image.hpp"
#include "image/stream.hpp"

namespace hull::image {
namespace {

using test::file;

std::string blob_path(const std::string& layout, const std::string& digest) {
  return layout + "/blobs/sha256/" + digest.substr(7);
}

std::string put(const std::string& layout, const std::string& data) {
  std::string d = test::sha256(data);
  test::write_file(blob_path(layout, d), data);
  return d;
}

std::string desc(const std::string& mt, const std::string& data, const std::string& digest) {
  return "{\"mediaType\":\"" + mt + "\",\"digest\":\"" + digest +
         "\",\"size\":" + std::to_string(data.size()) + "}";
}

void expect_error(const std::function<void()>& f, const std::string& part) {
  try {
    f();
    ADD_FAILURE() << "no error; expected one containing: " << part;
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

// Reads every layer of img through the checking reader, as unpack does.
void read_layers(const Image& img) {
  test::TempTree t;
  for (const auto& l : img.layers) {
    LayerReader r(img.open(l.file), l.compression, {l.blob.digest, l.blob.size, l.diff_id},
                  "layer " + l.blob.digest);
    Fd root = open_or_throw(t.path(), O_RDONLY | O_DIRECTORY);
    apply_layer(r.tar(), root.get(), {}, "layer");
    r.finish();
  }
}

TEST(OpenImage, FollowsIndexManifestConfig) {
  test::TempTree t;
  std::string l = t / "layout";
  test::add_image(l, "v1", {{{file("a", "1")}, "gzip"}, {{file("b", "2")}, "zstd"}},
                  "\"Cmd\":[\"sh\"]");
  test::add_image(l, "v2", {{{file("c", "3")}, "none"}});
  Image img = open_image(parse_ref("oci:" + l + ":v1"), {});
  ASSERT_EQ(img.layers.size(), 2u);
  EXPECT_EQ(img.layers[0].compression, Compression::kGzip);
  EXPECT_EQ(img.layers[1].compression, Compression::kZstd);
  EXPECT_EQ(img.layers[0].diff_id, test::sha256(test::make_tar({file("a", "1")})));
  read_layers(img);
  Image v2 = open_image(parse_ref("oci:" + l + ":v2"), {});
  EXPECT_EQ(v2.layers.at(0).compression, Compression::kNone);
  read_layers(v2);
  expect_error([&] { open_image(parse_ref("oci:" + l), {}); }, "several images");
  expect_error([&] { open_image(parse_ref("oci:" + l + ":nope"), {}); },
               "no image tagged \"nope\"");
  expect_error([&] { open_image(parse_ref("oci:" + t.path()), {}); }, "not an OCI image layout");
}

TEST(OpenImage, PicksPlatformFromNestedIndex) {
  test::TempTree t;
  std::string l = t / "layout";
  std::string amd = test::add_image(l, "amd", {{{file("arch", "amd64")}}}, "", "linux/amd64");
  std::string arm = test::add_image(l, "arm", {{{file("arch", "arm64")}}}, "", "linux/arm64");
  auto manifest_desc = [&](const std::string& d, const std::string& plat) {
    std::string m = test::read_file(blob_path(l, d));
    auto slash = plat.find('/');
    std::string s = desc("application/vnd.oci.image.manifest.v1+json", m, d);
    s.pop_back();
    return s + ",\"platform\":{\"os\":\"" + plat.substr(0, slash) + "\",\"architecture\":\"" +
           plat.substr(slash + 1) + "\"}}";
  };
  std::string index =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
      "\"manifests\":[" +
      manifest_desc(arm, "linux/arm64") + "," + manifest_desc(amd, "linux/amd64") + "]}";
  std::string idig = put(l, index);
  std::string top = desc("application/vnd.oci.image.index.v1+json", index, idig);
  top.pop_back();
  top += ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"multi\"}}";
  test::write_file(l + "/index.json", "{\"schemaVersion\":2,\"manifests\":[" + top + "]}");
  OpenOptions o;
  o.platform = parse_platform("linux/arm64");
  EXPECT_EQ(open_image(parse_ref("oci:" + l + ":multi"), o).manifest.digest, arm);
  o.platform = parse_platform("linux/amd64");
  EXPECT_EQ(open_image(parse_ref("oci:" + l + ":multi"), o).manifest.digest, amd);
  o.platform = parse_platform("linux/s390x");
  expect_error([&] { open_image(parse_ref("oci:" + l + ":multi"), o); },
               "no manifest for platform linux/s390x");
  EXPECT_THROW(parse_platform("linux"), Error);
}

TEST(OpenImage, DamagedBlobsAreNamed) {
  test::TempTree t;
  std::string l = t / "layout";
  std::string m = test::add_image(l, "x", {{{file("a", std::string(5000, 'a'))}}});
  Image img = open_image(parse_ref("oci:" + l + ":x"), {});
  std::string layer = img.layers[0].blob.digest;
  std::string cfg = img.config.digest;

  // A flipped byte in a layer: the digest check names the blob.
  std::string data = test::read_file(blob_path(l, layer));
  std::string bad = data;
  bad[bad.size() - 10] ^= 0x55;
  test::write_file(blob_path(l, layer), bad);
  expect_error([&] { read_layers(img); }, layer);
  // Same length, trailing garbage: size mismatch.
  test::write_file(blob_path(l, layer), data + "junk");
  expect_error([&] { read_layers(img); }, "size mismatch");
  test::write_file(blob_path(l, layer), data);
  read_layers(img);

  std::string config = test::read_file(blob_path(l, cfg));
  test::write_file(blob_path(l, cfg), config + " ");
  expect_error([&] { open_image(parse_ref("oci:" + l + ":x"), {}); }, "config " + cfg);
  ::unlink(blob_path(l, cfg).c_str());
  expect_error([&] { open_image(parse_ref("oci:" + l + ":x"), {}); }, "blob missing");
  ::unlink(blob_path(l, m).c_str());
  expect_error([&] { open_image(parse_ref("oci:" + l + ":x"), {}); }, "manifest " + m);
}

// A manifest written by hand, for media types and diff_ids the builder would get right.
std::string hand_image(const std::string& l, const std::string& layer_mt, const std::string& blob,
                       const std::string& diff_id) {
  test::make_dirs_for_test(l);
  std::string ldig = put(l, blob);
  std::string config =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":"
      "\"layers\",\"diff_ids\":[\"" +
      diff_id + "\"]}}";
  std::string cdig = put(l, config);
  std::string manifest = "{\"schemaVersion\":2,\"config\":" +
                         desc("application/vnd.oci.image.config.v1+json", config, cdig) +
                         ",\"layers\":[" + desc(layer_mt, blob, ldig) + "]}";
  std::string mdig = put(l, manifest);
  test::write_file(l + "/index.json",
                   "{\"schemaVersion\":2,\"manifests\":[" +
                       desc("application/vnd.oci.image.manifest.v1+json", manifest, mdig) + "]}");
  return "oci:" + l;
}

TEST(OpenImage, MediaTypesAndDiffIds) {
  test::TempTree t;
  std::string tar = test::make_tar({file("a", "1")});
  std::string ok = test::sha256(tar);
  expect_error(
      [&] { open_image(parse_ref(hand_image(t / "a", "application/x-foo", tar, ok)), {}); },
      "unsupported layer media type \"application/x-foo\"");
  Image docker =
      open_image(parse_ref(hand_image(t / "b", "application/vnd.docker.image.rootfs.diff.tar.gzip",
                                      test::gzip(tar), ok)),
                 {});
  read_layers(docker);
  Image lying = open_image(
      parse_ref(hand_image(t / "c", "application/vnd.oci.image.layer.v1.tar+gzip", tar, ok)), {});
  expect_error([&] { read_layers(lying); }, "the media type says gzip");
  std::string wrong = test::sha256("something else");
  Image diff = open_image(
      parse_ref(hand_image(t / "d", "application/vnd.oci.image.layer.v1.tar", tar, wrong)), {});
  expect_error([&] { read_layers(diff); }, "diff_id mismatch");
  expect_error(
      [&] {
        open_image(parse_ref(hand_image(t / "e", "application/vnd.oci.image.layer.v1.tar", tar,
                                        "sha256:../../etc")),
                   {});
      },
      "not a sha256 digest");
}

TEST(OpenImage, Archives) {
  test::TempTree t;
  std::string tar = test::make_tar({file("hello", "world")});
  // docker save: manifest.json naming a config file and layer tars, with a hostile extra.
  std::string config =
      "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"x\"]},"
      "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" +
      test::sha256(tar) + "\"]}}";
  std::string save = test::make_tar({file("manifest.json",
                                          "[{\"Config\":\"cfg.json\",\"RepoTags\":[\"x:1\"],"
                                          "\"Layers\":[\"abc/layer.tar\"]}]"),
                                     file("cfg.json", config), file("abc/layer.tar", tar),
                                     file("../../escape", "no")});
  test::write_file(t / "save.tar", save);
  OpenOptions o;
  o.scratch_parent = t.path();
  Image img = open_image(parse_ref("docker-archive:" + t / "save.tar"), o);
  ASSERT_EQ(img.layers.size(), 1u);
  read_layers(img);
  EXPECT_NE(::access((t / "escape").c_str(), F_OK), 0);
  EXPECT_NE(::access("/escape", F_OK), 0);

  // oci-archive: a tar of a layout.
  test::add_image(t / "lay", "v1", {{{file("x", "y")}}});
  std::vector<test::Member> members;
  for (const char* f : {"oci-layout", "index.json"})
    members.push_back(file(f, test::read_file(t / "lay/" + f)));
  Image from_dir = open_image(parse_ref("oci:" + t / "lay"), {});
  std::vector<std::string> blobs = {from_dir.manifest.digest, from_dir.config.digest,
                                    from_dir.layers[0].blob.digest};
  for (const auto& d : blobs)
    members.push_back(
        file("blobs/sha256/" + d.substr(7), test::read_file(blob_path(t / "lay", d))));
  test::write_file(t / "oci.tar", test::make_tar(members));
  Image arch = open_image(parse_ref("oci-archive:" + t / "oci.tar:v1"), o);
  EXPECT_EQ(arch.manifest.digest, from_dir.manifest.digest);
  read_layers(arch);
  std::string scratch = arch.dir;
  arch = Image{};
  EXPECT_NE(::access(scratch.c_str(), F_OK), 0) << "the scratch copy goes with the image";
}

}  // namespace
}  // namespace hull::image
