# What v2.bats adds to lib/cgroups.bash (the cgroup file helpers it shares with the cgroup
# suite): its own state dirs, bundles copied from one template (every process start is dear
# in the guest), create expected to fail, and the differential against runc on cgroup files.
# RUNTIME (default HULL, else runc) runs the containers; runc is the reference.
RUNTIME=${RUNTIME:-${HULL:-runc}}
BUSYBOX=${BUSYBOX:-/bin/busybox}

setup_suite_dirs() {
  WORK=$(mktemp -d /tmp/hull-cg-bats-XXXXXX)
  STATE="$WORK/state"
  RUNC_STATE="$WORK/runc-state"
  ID="hullcg-$BATS_TEST_NUMBER-$$"
  IDS=("$ID")
}

# make_bundle DIR ARGS_JSON [JQ_FILTER]: busybox rootfs, the runtime's default config with
# the args, cgroupsPath /<id of the dir>, and the filter applied.
# The rootfs and runc's spec are made once per bats run and copied (in the v2 suite's
# guest every process start is dear).
make_bundle() {
  local dir=$1 args=$2 filter=${3:-.}
  local tpl=${BATS_RUN_TMPDIR:?}/cg-bundle
  if [ ! -e "$tpl/done" ]; then
    rm -rf "$tpl"
    mkdir -p "$tpl/rootfs/bin" "$tpl/rootfs/tmp"
    cp "$BUSYBOX" "$tpl/rootfs/bin/busybox"
    local app
    for app in sh cat sleep echo head dd nproc mknod seq ls true mv; do
      ln -s busybox "$tpl/rootfs/bin/$app"
    done
    (cd "$tpl" && runc spec) && touch "$tpl/done"
  fi
  mkdir -p "$dir"
  rm -rf "$dir/config.json" "$dir/rootfs"
  cp -a "$tpl/rootfs" "$dir/rootfs"
  jq --argjson args "$args" ".process.terminal=false | .process.args=\$args | .root.readonly=false | ($filter)" \
    "$tpl/config.json" >"$dir/config.json"
}

rt() { "$RUNTIME" --root "$STATE" "$@"; }
runc_rt() { runc --root "$RUNC_STATE" "$@"; }

cleanup_all() {
  local id
  for id in "${IDS[@]}"; do
    # (only where a state dir names it: a runtime's start is dear in the v2 suite's guest)
    [ ! -e "$STATE/$id" ] || rt delete --force "$id" >/dev/null 2>&1 || true
    [ ! -e "$RUNC_STATE/$id" ] || runc_rt delete --force "$id" >/dev/null 2>&1 || true
    for d in "$CG"/*/"$id" "$CG/$id"; do
      [ -d "$d" ] && rmdir "$d" 2>/dev/null || true
    done
  done
  rm -rf "$WORK"
}

# try_create DIR: a create expected to fail. Output goes through a file, so a create that
# wrongly succeeds (its init holding the pipe) cannot hang the test; sets status and output.
try_create() {
  status=0
  rt create -b "$1" "$ID" >"$WORK/create.out" 2>&1 </dev/null || status=$?
  output=$(cat "$WORK/create.out")
  echo "$output"
}

# same_as_runc BUNDLE SNAPSHOT_FN: what SNAPSHOT_FN prints for a container created by the
# runtime under test equals what it prints for one created by runc from the same bundle.
same_as_runc() {
  local bundle=$1 snapshot=$2
  rt create -b "$bundle" "$ID"
  "$snapshot" >"$WORK/ours"
  rt delete --force "$ID"
  runc_rt create -b "$bundle" "$ID"
  "$snapshot" >"$WORK/runc"
  diff -u "$WORK/runc" "$WORK/ours"
}
