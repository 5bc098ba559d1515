# The one bundle builder of the conformance suites: a rootfs of busybox-static (every applet
# it has) and the probe, and a config.json from the runtime's own `spec`, edited with jq.
# Suites that need another config (spec/, net/, the cgroup suite) edit this one with cfg.

# make_rootfs DIR: busybox with every applet in /bin, /probe (when PROBE is set), the usual
# top-level dirs, /tmp 1777, and an /etc/passwd and /etc/group with root and nobody.
make_rootfs() {
  local rootfs=$1
  mkdir -p "$rootfs"/{bin,etc,proc,sys,dev,tmp,root}
  cp "$BUSYBOX" "$rootfs/bin/busybox"
  # one process for all the links (a fork per applet costs seconds on a loaded machine)
  "$BUSYBOX" --list | python3 -c '
import os, sys
for name in sys.stdin.read().split():
    if name != "busybox" and not os.path.lexists(os.path.join(sys.argv[1], name)):
        os.symlink("busybox", os.path.join(sys.argv[1], name))' "$rootfs/bin" ||
    fail "linking the busybox applets in $rootfs/bin"
  if [ -n "${PROBE:-}" ]; then cp "$PROBE" "$rootfs/probe"; fi
  chmod 1777 "$rootfs/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
    >"$rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$rootfs/etc/group"
}

# make_bundle DIR: rootfs + config.json (terminal off, args /probe, hostname "conformance")
# The rootfs is made once per bats run and copied (in the v2 suite's guest every process
# start is dear).
make_bundle() {
  local dir=$1 tpl=
  [ -z "${BATS_RUN_TMPDIR:-}" ] || tpl=$BATS_RUN_TMPDIR/conf-rootfs
  if [ -n "$tpl" ]; then
    if [ ! -e "$tpl.done" ]; then
      rm -rf "$tpl"
      make_rootfs "$tpl"
      touch "$tpl.done"
    fi
    mkdir -p "$dir"
    rm -rf "$dir/rootfs"
    cp -a "$tpl" "$dir/rootfs" || fail "copying the rootfs to $dir/rootfs"
  else
    make_rootfs "$dir/rootfs"
  fi
  rm -f "$dir/config.json"
  (cd "$dir" && "$RUNTIME" spec) || fail "$RUNTIME_NAME spec failed in $dir"
  [ -s "$dir/config.json" ] || fail "$RUNTIME_NAME spec wrote no config.json"
  cfg_at "$dir" '.process.terminal = false | .process.args = ["/probe"] | .hostname = "conformance"'
}

# cfg_at DIR FILTER [jq ARGS...]: edits DIR/config.json in place with a jq filter
cfg_at() {
  local f=$1/config.json filter=$2
  shift 2
  jq "$@" "$filter" "$f" >"$f.new" || {
    rm -f "$f.new"
    fail "jq filter failed: $filter"
    return 1
  }
  mv "$f.new" "$f"
}

# cfg FILTER [jq ARGS...]: edits $BUNDLE/config.json in place with a jq filter
cfg() { cfg_at "$BUNDLE" "$@"; }

# set_args ARG...: process.args
set_args() { cfg '.process.args = $a' --argjson a "$(json_array "$@")"; }

# json_array ARG...: the arguments as a JSON array of strings
json_array() { jq -cn '$ARGS.positional' --args -- "$@"; }

# add_namespace TYPE [PATH]
add_namespace() {
  if [ -n "${2:-}" ]; then
    cfg '.linux.namespaces = ([.linux.namespaces[] | select(.type != $t)] + [{type: $t, path: $p}])' \
      --arg t "$1" --arg p "$2"
  else
    cfg '.linux.namespaces = ([.linux.namespaces[] | select(.type != $t)] + [{type: $t}])' --arg t "$1"
  fi
}

remove_namespace() { cfg '.linux.namespaces |= map(select(.type != $t))' --arg t "$1"; }

# add_mount DEST TYPE SOURCE OPTIONS_CSV
add_mount() {
  cfg '.mounts += [{destination: $d, type: $t, source: $s, options: ($o | split(",") | map(select(. != "")))}]' \
    --arg d "$1" --arg t "$2" --arg s "$3" --arg o "$4"
}

# a plain bundle whose process is busybox sh -c SCRIPT
set_shell() { set_args /bin/sh -c "$1"; }
