# What the oci-bridge end-to-end suite adds to lib/common (loaded first): its bundles are the
# one builder's (lib/bundle.bash) with a page to serve and this profile: the oci-bridge hooks,
# a few capabilities, the five usual namespaces.
#   net_bundle DIR ARGS_JSON [HOOK_ARGS_JSON] [ANNOTATIONS_JSON] [HOOK_ENV_JSON]
# HOOK_ARGS_JSON are the arguments after "oci-bridge" (default: --config $NET_CONFIG
# --state-dir $NET_STATE); the teardown hook gets the same plus --teardown.

net_bundle() {
  local dir=$1 args=$2
  local hook_args=${3:-"[\"--config\", \"$NET_CONFIG\", \"--state-dir\", \"$NET_STATE\"]"}
  local annotations=${4:-'{}'}
  local hook_env=${5:-'[]'}
  make_bundle "$dir"
  mkdir -p "$dir/rootfs/www"
  echo "hello-from-hull" >"$dir/rootfs/www/index.html"
  local caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_NET_RAW","CAP_CHOWN",
    "CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_SETUID","CAP_SETGID"]'
  cfg_at "$dir" '.ociVersion = "1.0.2"
    | .process = {terminal: false, user: {uid: 0, gid: 0}, args: $args, cwd: "/",
        env: ["PATH=/bin", "HOME=/"],
        capabilities: {bounding: $caps, effective: $caps, permitted: $caps},
        noNewPrivileges: true}
    | .root = {path: "rootfs", readonly: false}
    | .hostname = "ctr"
    | .mounts = [
        {destination: "/proc", type: "proc", source: "proc"},
        {destination: "/dev", type: "tmpfs", source: "tmpfs",
         options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {destination: "/dev/pts", type: "devpts", source: "devpts",
         options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
        {destination: "/sys", type: "sysfs", source: "sysfs",
         options: ["nosuid", "noexec", "nodev", "ro"]}]
    | .hooks = {
        createRuntime: [{path: $hook, args: (["oci-bridge"] + $hargs), env: $henv}],
        poststop: [{path: $hook, args: (["oci-bridge"] + $hargs + ["--teardown"]), env: $henv}]}
    | .annotations = $ann
    | .linux = {namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"},
        {type: "mount"}]}' \
    --argjson args "$args" --argjson caps "$caps" --arg hook "$OCI_BRIDGE" \
    --argjson hargs "$hook_args" --argjson ann "$annotations" --argjson henv "$hook_env"
}

# Moves the bundle's createRuntime hook to prestart (what older engines use).
hooks_as_prestart() {
  cfg_at "$1" '.hooks.prestart = .hooks.createRuntime | del(.hooks.createRuntime)'
}

# Adds a bind mount of a bundle file onto an /etc file in the container.
bind_etc_file() {
  local dir=$1 name=$2
  : >"$dir/$name"
  cfg_at "$dir" '.mounts += [{destination: $dst, type: "bind", source: $src, options: ["bind"]}]' \
    --arg src "$dir/$name" --arg dst "/etc/$name"
}
