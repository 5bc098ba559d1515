# Bundles for the conformance suites: a rootfs of busybox-static and the probe, and a
# config.json from the runtime's own `spec`, edited with jq.

BUSYBOX_APPLETS=(sh ls cat echo sleep true false id mount umount readlink stat ps kill grep
  test env hostname uname mkdir touch rm cut head tail wc tr printf pwd ln chmod dd tty stty)

# make_bundle DIR: rootfs + config.json (terminal off, args /probe, hostname "conformance")
# The rootfs is made once per bats run and copied (in the v2 suite's guest every process
# start is dear).
make_bundle() {
  local dir=$1 rootfs=$1/rootfs tpl=$1/rootfs
  [ -z "${BATS_RUN_TMPDIR:-}" ] || tpl=$BATS_RUN_TMPDIR/conf-rootfs
  if [ ! -e "$tpl.done" ]; then
    rm -rf "$tpl"
    mkdir -p "$tpl"/{bin,etc,proc,sys,dev,tmp,root}
    cp "$BUSYBOX" "$tpl/bin/busybox"
    local a
    for a in "${BUSYBOX_APPLETS[@]}"; do ln -s busybox "$tpl/bin/$a"; done
    cp "$PROBE" "$tpl/probe"
    chmod 1777 "$tpl/tmp"
    printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
      >"$tpl/etc/passwd"
    printf 'root:x:0:\nnogroup:x:65534:\n' >"$tpl/etc/group"
    [ "$tpl" = "$rootfs" ] || touch "$tpl.done"
  fi
  mkdir -p "$dir"
  if [ "$tpl" != "$rootfs" ]; then cp -a "$tpl" "$rootfs" || fail "copying the rootfs to $rootfs"; fi
  (cd "$dir" && "$RUNTIME" spec) || fail "$RUNTIME_NAME spec failed in $dir"
  [ -s "$dir/config.json" ] || fail "$RUNTIME_NAME spec wrote no config.json"
  cfg '.process.terminal = false | .process.args = ["/probe"] | .hostname = "conformance"'
}

# cfg FILTER [jq ARGS...]: edits $BUNDLE/config.json in place with a jq filter
cfg() {
  local filter=$1
  shift
  local f=$BUNDLE/config.json
  jq "$@" "$filter" "$f" >"$f.new" || {
    rm -f "$f.new"
    fail "jq filter failed: $filter"
    return 1
  }
  mv "$f.new" "$f"
}

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
