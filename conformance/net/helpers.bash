# A small OCI bundle for the oci-bridge end-to-end tests: a busybox-static rootfs and a
# config.json written from scratch (no runtime's `spec` needed), with the oci-bridge hooks.
#   make_bundle DIR ARGS_JSON [HOOK_ARGS_JSON] [ANNOTATIONS_JSON] [HOOK_ENV_JSON]
# HOOK_ARGS_JSON are the arguments after "oci-bridge" (default: --config $NET_CONFIG
# --state-dir $NET_STATE); the teardown hook gets the same plus --teardown.

BUSYBOX=${BUSYBOX:-/bin/busybox}

make_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,proc,sys,dev,etc,tmp,www}
  cp "$BUSYBOX" "$root/bin/busybox"
  local app
  for app in sh ls cat sleep httpd nc wget ip ping hostname; do
    ln -sf busybox "$root/bin/$app"
  done
  echo "hello-from-hull" >"$root/www/index.html"
  echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
}

make_bundle() {
  local dir=$1 args=$2
  local hook_args=${3:-"[\"--config\", \"$NET_CONFIG\", \"--state-dir\", \"$NET_STATE\"]"}
  local annotations=${4:-'{}'}
  local hook_env=${5:-'[]'}
  mkdir -p "$dir"
  make_rootfs "$dir/rootfs"
  local caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_NET_RAW","CAP_CHOWN",
    "CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_SETUID","CAP_SETGID"]'
  jq -n --argjson args "$args" --argjson caps "$caps" --arg hook "$OCI_BRIDGE" \
    --argjson hargs "$hook_args" --argjson ann "$annotations" --argjson henv "$hook_env" '{
    ociVersion: "1.0.2",
    process: {terminal: false, user: {uid: 0, gid: 0}, args: $args, cwd: "/",
      env: ["PATH=/bin", "HOME=/"],
      capabilities: {bounding: $caps, effective: $caps, permitted: $caps},
      noNewPrivileges: true},
    root: {path: "rootfs", readonly: false},
    hostname: "ctr",
    mounts: [
      {destination: "/proc", type: "proc", source: "proc"},
      {destination: "/dev", type: "tmpfs", source: "tmpfs",
       options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
      {destination: "/dev/pts", type: "devpts", source: "devpts",
       options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
      {destination: "/sys", type: "sysfs", source: "sysfs",
       options: ["nosuid", "noexec", "nodev", "ro"]}],
    hooks: {
      createRuntime: [{path: $hook, args: (["oci-bridge"] + $hargs), env: $henv}],
      poststop: [{path: $hook, args: (["oci-bridge"] + $hargs + ["--teardown"]), env: $henv}]},
    annotations: $ann,
    linux: {namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"},
      {type: "mount"}]}
  }' >"$dir/config.json"
}

# Moves the bundle's createRuntime hook to prestart (what older engines use).
hooks_as_prestart() {
  local cfg=$1/config.json
  jq '.hooks.prestart = .hooks.createRuntime | del(.hooks.createRuntime)' "$cfg" >"$cfg.new"
  mv "$cfg.new" "$cfg"
}

# Adds a bind mount of a bundle file onto an /etc file in the container.
bind_etc_file() {
  local dir=$1 name=$2
  : >"$dir/$name"
  jq --arg src "$dir/$name" --arg dst "/etc/$name" \
    '.mounts += [{destination: $dst, type: "bind", source: $src, options: ["bind"]}]' \
    "$dir/config.json" >"$dir/config.json.new"
  mv "$dir/config.json.new" "$dir/config.json"
}
