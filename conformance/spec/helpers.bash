# What the spec suites add to lib/common (loaded first): their config profile over the one
# bundle builder's, and a few shorthands.
#   spec_setup / spec_teardown  common_setup with the profile / common_teardown
#   run_ctr ID                  rt run in $BUNDLE, output in $output, status in $status
#   left_nothing ID             no state, no listing
#   use_profile ENGINE          an engine config's seccomp profile in the bundle

# The suites' config: a small capability set with CAP_SETPCAP, NOFILE 1024, the five usual
# namespaces, four mounts, a short masked/read-only list, a writable root and args ["true"].
spec_profile() {
  local caps='["CAP_AUDIT_WRITE","CAP_KILL","CAP_NET_BIND_SERVICE","CAP_CHOWN",
    "CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_SETUID","CAP_SETGID","CAP_SETPCAP"]'
  cfg '.ociVersion = "1.2.0"
    | .process = {terminal: false, user: {uid: 0, gid: 0}, args: ["true"], cwd: "/",
        env: ["PATH=/bin", "HOME=/"],
        capabilities: {bounding: $caps, effective: $caps, permitted: $caps},
        rlimits: [{type: "RLIMIT_NOFILE", hard: 1024, soft: 1024}],
        noNewPrivileges: true}
    | .root = {path: "rootfs", readonly: false}
    | .hostname = "spec"
    | .mounts = [
        {destination: "/proc", type: "proc", source: "proc"},
        {destination: "/dev", type: "tmpfs", source: "tmpfs",
         options: ["nosuid", "strictatime", "mode=755", "size=65536k"]},
        {destination: "/dev/pts", type: "devpts", source: "devpts",
         options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
        {destination: "/sys", type: "sysfs", source: "sysfs",
         options: ["nosuid", "noexec", "nodev", "ro"]}]
    | .linux = {namespaces: [{type: "pid"}, {type: "network"}, {type: "ipc"}, {type: "uts"},
        {type: "mount"}],
        maskedPaths: ["/proc/kcore", "/proc/keys", "/proc/timer_list", "/sys/firmware",
          "/proc/scsi"],
        readonlyPaths: ["/proc/sys", "/proc/sysrq-trigger", "/proc/bus", "/proc/irq"]}' \
    --argjson caps "$caps"
}

spec_setup() {
  common_setup
  spec_profile
}

spec_teardown() { common_teardown; }

run_ctr() {
  run rt run -b "$BUNDLE" "$1"
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
