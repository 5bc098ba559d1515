# Shared setup of the spec suites: a busybox-static bundle per test, the runtime under test
# (RUNTIME, else HULL, else runc) with its own --root, and cleanup of whatever a test made.
#   make_bundle DIR             busybox rootfs + a config.json written from scratch
#   cfg JQ_FILTER [ARGS...]     edits $BUNDLE/config.json in place
#   rt ARGS...                  runs the runtime with this suite's --root
#   run_ctr ID                  rt run in $BUNDLE, output in $output, status in $status

BUSYBOX=${BUSYBOX:-/bin/busybox}
RUNTIME=${RUNTIME:-${HULL:-runc}}

make_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,proc,sys,dev,etc,tmp,data}
  cp "$BUSYBOX" "$root/bin/busybox"
  local app
  for app in $("$BUSYBOX" --list); do
    [ "$app" = busybox ] || ln -sf busybox "$root/bin/$app"
  done
  echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
  echo "root:x:0:" >"$root/etc/group"
}

make_bundle() {
  local dir=$1
  mkdir -p "$dir"
  make_rootfs "$dir/rootfs"
  local caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_CHOWN",
    "CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_SETUID","CAP_SETGID","CAP_SETPCAP"]'
  jq -n --argjson caps "$caps" '{
    ociVersion: "1.2.0",
    process: {terminal: false, user: {uid: 0, gid: 0}, args: ["true"], cwd: "/",
      env: ["PATH=/bin", "HOME=/"],
      capabilities: {bounding: $caps, effective: $caps, permitted: $caps},
      rlimits: [{type: "RLIMIT_NOFILE", hard: 1024, soft: 1024}],
      noNewPrivileges: true},
    root: {path: "rootfs", readonly: false},
    hostname: "spec",
    mounts: [
      {destination: "/proc", type: "proc", source: "proc"},
      {destination: "/dev", type: "tmpfs", source: "tmpfs",
       options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
      {destination: "/dev/pts", type: "devpts", source: "devpts",
       options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
      {destination: "/sys", type: "sysfs", source: "sysfs",
       options: ["nosuid", "noexec", "nodev", "ro"]}],
    linux: {namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"},
      {type: "mount"}],
      maskedPaths: ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware",
        "/proc/scsi"],
      readonlyPaths: ["/proc/sys", "/proc/sysrq-trigger", "/proc/bus", "/proc/irq"]}
  }' >"$dir/config.json"
}

cfg() {
  local filter=$1
  shift
  jq "$@" "$filter" "$BUNDLE/config.json" >"$BUNDLE/config.json.new"
  mv "$BUNDLE/config.json.new" "$BUNDLE/config.json"
}

# The process args, as a JSON list built from the words given.
cmd() {
  local args
  args=$(for a in "$@"; do jq -n --arg a "$a" '$a'; done | jq -sc .)
  cfg '.process.args = $a' --argjson a "$args"
}

rt() {
  "$RUNTIME" --root "$STATE_ROOT" "$@"
}

run_ctr() {
  run rt run -b "$BUNDLE" "$1"
}

# Per-test scratch: bundle, state root, a unique id prefix.
spec_setup() {
  WORK=$(mktemp -d /tmp/hull-spec.XXXXXX)
  BUNDLE=$WORK/bundle
  STATE_ROOT=$WORK/state
  ID=spec-$$-$BATS_TEST_NUMBER
  make_bundle "$BUNDLE"
}

spec_teardown() {
  local id
  for id in $(rt list -q 2>/dev/null); do rt delete -f "$id" >/dev/null 2>&1 || true; done
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
}

# Runs container ID with the runtime under test and with the reference runtime (runc) in
# the same bundle; fails unless both print the same and exit the same. Output in $output.
REFERENCE=${REFERENCE:-runc}
same_as_reference() {
  local id=$1
  # The reference runs in a copy taken first: the runs may change their rootfs.
  rm -rf "$BUNDLE-ref"
  cp -a "$BUNDLE" "$BUNDLE-ref"
  run rt run -b "$BUNDLE" "$id"
  local mine=$output mine_status=$status
  run "$REFERENCE" --root "$STATE_ROOT/ref" run -b "$BUNDLE-ref" "$id-ref"
  "$REFERENCE" --root "$STATE_ROOT/ref" delete -f "$id-ref" >/dev/null 2>&1 || true
  if [ "$mine" != "$output" ] || [ "$mine_status" != "$status" ]; then
    echo "runtime ($mine_status): $mine"
    echo "$REFERENCE ($status): $output"
    return 1
  fi
  output=$mine
  status=$mine_status
}

# Nothing of container ID may be left: no state, no listing.
left_nothing() {
  local id=$1
  ! rt state "$id" >/dev/null 2>&1 || return 1
  [ -z "$(rt list -q 2>/dev/null)" ] || return 1
}

ENGINE_CONFIGS=${ENGINE_CONFIGS:-$BATS_TEST_DIRNAME/../../tests/spec/fixtures/engine-configs}

# Puts an engine config's seccomp profile in the bundle.
use_profile() {
  cfg '.linux.seccomp = $s[0].linux.seccomp' --slurpfile s "$ENGINE_CONFIGS/$1.config.json"
}
