// config.json from an image config: process, user lookup inside the rootfs, annotations,
// overrides and oci-bridge hooks.
#include "image/config.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builder.hpp"
#include "hull/error.hpp"
#include "image/user.hpp"

namespace hull::image {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    rootfs_ = t_ / "rootfs";
    make_dirs(rootfs_ + "/etc");
    test::write_file(rootfs_ + "/etc/passwd",
                     "root:x:0:0:root:/root:/bin/sh\n# comment\nweb:x:33:33::/var/www:/bin/sh\n"
                     "app:x:1000:1000::/home/app:/bin/sh\n");
    test::write_file(rootfs_ + "/etc/group",
                     "root:x:0:\nwww:x:33:\napp:x:1000:\nwheel:x:10:app,web\naudio:x:29:app\n");
    img_.ref = parse_ref("oci:/x:v3");
    img_.manifest.digest = "sha256:" + std::string(64, 'a');
    img_.config.digest = "sha256:" + std::string(64, 'b');
  }

  rapidjson::Document make(const std::string& config, const ConfigOptions& o = {}) {
    img_.config_json =
        "{\"os\":\"linux\",\"architecture\":\"amd64\",\"created\":\"2024-01-01T00:00:00Z\","
        "\"config\":{" +
        config + "}}";
    Fd root = open_or_throw(rootfs_, O_RDONLY | O_DIRECTORY);
    rapidjson::Document d;
    d.Parse(make_config(img_, root.get(), o).c_str());
    EXPECT_FALSE(d.HasParseError());
    return d;
  }

  static std::vector<std::string> strings(const rapidjson::Value& v) {
    std::vector<std::string> out;
    for (const auto& s : v.GetArray()) out.emplace_back(s.GetString());
    return out;
  }

  test::TempTree t_;
  std::string rootfs_;
  Image img_;
};

TEST_F(ConfigTest, ProcessFromImage) {
  auto d = make(
      "\"Entrypoint\":[\"/bin/app\",\"--serve\"],\"Cmd\":[\"-v\"],\"Env\":[\"A=1\",\"PATH=/bin\"],"
      "\"WorkingDir\":\"/srv\",\"User\":\"app\"");
  const auto& p = d["process"];
  EXPECT_FALSE(p["terminal"].GetBool());
  EXPECT_EQ(strings(p["args"]), (std::vector<std::string>{"/bin/app", "--serve", "-v"}));
  EXPECT_EQ(strings(p["env"]), (std::vector<std::string>{"A=1", "PATH=/bin"}));
  EXPECT_STREQ(p["cwd"].GetString(), "/srv");
  EXPECT_EQ(p["user"]["uid"].GetUint(), 1000u);
  EXPECT_EQ(p["user"]["gid"].GetUint(), 1000u);
  EXPECT_EQ(p["user"]["additionalGids"].Size(), 2u);
  EXPECT_STREQ(d["root"]["path"].GetString(), "rootfs");
  EXPECT_FALSE(d["root"]["readonly"].GetBool()) << "an image's container writes to its rootfs";
}

TEST_F(ConfigTest, Overrides) {
  ConfigOptions o;
  o.entrypoint = "/bin/sh";
  o.cmd = {"-c", "true"};
  o.env = {"A=2", "B=3"};
  o.hostname = "box";
  o.user = "33:www";
  o.cwd = "/tmp";
  auto d = make("\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[\"x\"],\"Env\":[\"A=1\"]", o);
  const auto& p = d["process"];
  EXPECT_EQ(strings(p["args"]), (std::vector<std::string>{"/bin/sh", "-c", "true"}));
  auto env = strings(p["env"]);
  EXPECT_EQ(env[0].substr(0, 5), "PATH=") << "a default PATH when the image has none";
  EXPECT_EQ(std::vector<std::string>(env.begin() + 1, env.end()),
            (std::vector<std::string>{"A=2", "B=3"}));
  EXPECT_STREQ(d["hostname"].GetString(), "box");
  EXPECT_EQ(p["user"]["uid"].GetUint(), 33u);
  EXPECT_EQ(p["user"]["gid"].GetUint(), 33u);
  EXPECT_STREQ(p["cwd"].GetString(), "/tmp");
  ConfigOptions only_entry;
  only_entry.entrypoint = "/bin/true";
  auto e = make("\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[\"x\"]", only_entry);
  EXPECT_EQ(strings(e["process"]["args"]), (std::vector<std::string>{"/bin/true"}))
      << "a new entrypoint drops the image's Cmd";
  ConfigOptions bad_env;
  bad_env.env = {"NOEQUALS"};
  EXPECT_THROW(make("", bad_env), Error);
}

TEST_F(ConfigTest, Annotations) {
  auto d = make(
      "\"Labels\":{\"org.opencontainers.image.title\":\"demo\",\"maintainer\":\"me\"},"
      "\"StopSignal\":\"SIGQUIT\",\"ExposedPorts\":{\"80/tcp\":{},\"53/udp\":{}},"
      "\"Volumes\":{\"/data\":{},\"/cache\":{}}");
  const auto& a = d["annotations"];
  EXPECT_STREQ(a["org.opencontainers.image.title"].GetString(), "demo");
  EXPECT_STREQ(a["maintainer"].GetString(), "me");
  EXPECT_STREQ(a["org.opencontainers.image.stopSignal"].GetString(), "SIGQUIT");
  EXPECT_STREQ(a["org.opencontainers.image.exposedPorts"].GetString(), "53/udp,80/tcp");
  EXPECT_STREQ(a["hull.image.volumes"].GetString(), "/cache,/data");
  EXPECT_STREQ(a["org.opencontainers.image.os"].GetString(), "linux");
  EXPECT_STREQ(a["org.opencontainers.image.created"].GetString(), "2024-01-01T00:00:00Z");
  EXPECT_STREQ(a["org.opencontainers.image.ref.name"].GetString(), "v3");
  EXPECT_FALSE(d.HasMember("hooks"));
}

TEST_F(ConfigTest, NetworkHooksAndFiles) {
  ConfigOptions o;
  o.network = "web";
  o.ports = {"8080:80", "127.0.0.1:5353:53/udp"};
  o.bridge_path = "/usr/bin/oci-bridge";
  auto d = make("\"Cmd\":[\"httpd\"]", o);
  EXPECT_STREQ(d["annotations"]["hull.net.ports"].GetString(), "8080:80/tcp,127.0.0.1:5353:53/udp");
  const auto& create = d["hooks"]["createRuntime"][0];
  EXPECT_STREQ(create["path"].GetString(), "/usr/bin/oci-bridge");
  EXPECT_EQ(strings(create["args"]), (std::vector<std::string>{"oci-bridge", "--network", "web"}));
  EXPECT_EQ(strings(d["hooks"]["poststop"][0]["args"]),
            (std::vector<std::string>{"oci-bridge", "--network", "web", "--teardown"}));
  struct stat st;
  EXPECT_EQ(::lstat((rootfs_ + "/etc/resolv.conf").c_str(), &st), 0);
  EXPECT_EQ(::lstat((rootfs_ + "/etc/hosts").c_str(), &st), 0);
}

TEST(Ports, NormalizeAndReject) {
  EXPECT_EQ(normalize_port("80:8080"), "80:8080/tcp");
  EXPECT_EQ(normalize_port("1.2.3.4:53:53/udp"), "1.2.3.4:53:53/udp");
  for (const char* bad : {"80", "0:80", "80:70000", "a:80", "80:80/icmp", ":80:80", "80:"})
    EXPECT_THROW(normalize_port(bad), Error) << bad;
}

TEST(FindBridge, ExplicitMissingIsAnError) {
  EXPECT_THROW(find_bridge("/nonexistent/oci-bridge"), Error);
  EXPECT_EQ(find_bridge("/bin/true").empty(), false);
}

TEST(User, Forms) {
  std::string passwd = "root:x:0:0::/:/bin/sh\nbob:x:500:600::/:/bin/sh\n";
  std::string group = "root:x:0:\nstaff:x:600:\ndev:x:700:bob\n";
  auto r = resolve_user("bob", passwd, group);
  EXPECT_EQ(r.uid, 500u);
  EXPECT_EQ(r.gid, 600u);
  EXPECT_EQ(r.additional_gids, std::vector<uint32_t>{700});
  r = resolve_user("500", passwd, group);
  EXPECT_EQ(r.gid, 600u) << "a uid found in passwd takes its primary group";
  r = resolve_user("4242", passwd, group);
  EXPECT_EQ(r.uid, 4242u);
  EXPECT_EQ(r.gid, 0u);
  r = resolve_user("bob:dev", passwd, group);
  EXPECT_EQ(r.gid, 700u);
  EXPECT_TRUE(r.additional_gids.empty());
  r = resolve_user("1:2", "", "");
  EXPECT_EQ(r.uid, 1u);
  EXPECT_EQ(r.gid, 2u);
  EXPECT_THROW(resolve_user("alice", passwd, group), Error);
  EXPECT_THROW(resolve_user("bob:nogroup", passwd, group), Error);
}

TEST_F(ConfigTest, PasswdSymlinkOutOfRootfsIsNotFollowed) {
  test::write_file(t_ / "host-passwd", "evil:x:0:0::/:/bin/sh\n");
  ::unlink((rootfs_ + "/etc/passwd").c_str());
  ASSERT_EQ(::symlink((t_ / "host-passwd").c_str(), (rootfs_ + "/etc/passwd").c_str()), 0);
  EXPECT_THROW(make("\"User\":\"evil\""), Error) << "the host's file must not be read";
}

}  // namespace
}  // namespace hull::image
