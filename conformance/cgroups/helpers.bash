# Kept only for conformance/v2/v2.bats (helpers G/H own it) until it loads lib/common and
# lib/cgroups.bash like the cgroup suite (conformance/cgroups.bats); do not use it elsewhere.
# RUNTIME (default HULL, else runc) runs the containers; runc is the reference.
RUNTIME=${RUNTIME:-${HULL:-runc}}
BUSYBOX=${BUSYBOX:-/bin/busybox}
CG=/sys/fs/cgroup

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

# with_path ID: the jq filter part that puts the container in /ID on every hierarchy.
cgpath() { echo ".linux.cgroupsPath=\"/$1\""; }

rt() { "$RUNTIME" --root "$STATE" "$@"; }
runc_rt() { runc --root "$RUNC_STATE" "$@"; }

# The layout: pure cgroup v2 (a guest, most hosts today) or v1/hybrid (this machine).
is_v2() { [ "$(stat -f -c %T "$CG")" = cgroup2fs ]; }
# v2_has CONTROLLER: the v2 root offers it (UML guests lack cpuset, hugetlb and rdma)
v2_has() { grep -qw "$1" "$CG/cgroup.controllers"; }

# cgdir CONTROLLER ID: the container's directory holding that controller's files.
cgdir() { if is_v2; then echo "$CG/$2"; else echo "$CG/$1/$2"; fi; }
cgfile() { tr -d '\n' <"$(cgdir "$1" "$2")/$3"; }

# test_blockdev: MAJOR:MINOR of a real block device here (io.max and the throttle files
# refuse devices that do not exist): the first disk under /sys/block.
test_blockdev() {
  local d
  for d in /sys/block/*; do
    case ${d##*/} in loop* | ram* | zram* | nbd*) continue ;; esac
    cat "$d/dev"
    return 0
  done
  return 1
}

no_cgroup_left() {
  local id=$1 d
  for d in "$CG"/*/"$id" "$CG"/unified/"$id" "$CG/$id"; do
    if [ -e "$d" ]; then
      echo "left behind: $d"
      return 1
    fi
  done
}

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

# wait_for CMD...: retries a check until it holds (generously: a busy machine is slow).
wait_for() {
  local i
  for i in $(seq 600); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# try_create DIR: a create expected to fail. Output goes through a file, so a create that
# wrongly succeeds (its init holding the pipe) cannot hang the test; sets status and output.
try_create() {
  status=0
  rt create -b "$1" "$ID" >"$WORK/create.out" 2>&1 </dev/null || status=$?
  output=$(cat "$WORK/create.out")
  echo "$output"
}

# count_lines PATTERN FILE: how many lines of FILE match.
count_lines() { grep -c "$1" "$2" || true; }

# expect_cg ID "CONTROLLER FILE VALUE"...: each cgroup file of the container holds the value.
expect_cg() {
  local id=$1 spec ctrl file want got
  shift
  for spec in "$@"; do
    read -r ctrl file want <<<"$spec"
    got=$(cgfile "$ctrl" "$id" "$file")
    if [ "$got" != "$want" ]; then
      echo "$ctrl/$file: expected \"$want\", got \"$got\""
      return 1
    fi
  done
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
