#!/usr/bin/env bats
# buildah (Debian's) with hull as the OCI runtime of its RUN steps (isolation oci): a
# Containerfile FROM a busybox image made locally, built through hull and through runc, with
# private storage and runroot; all inside the sandbox.

load engines

BASE=localhost/busybox:hull

setup_file() {
  engines_require buildah
  sandbox_start
  export ENG_TMP HOLDER
  local w=$ENG_TMP
  mkdir -p "$w/storage" "$w/run" "$w/ctx"
  cat >"$w/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:4096", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$w/events.log"
tmp_dir = "$w/tmp"
CONF
  containers_storage "$w"
  export BUILDAH_ISOLATION=oci
  # The RUN steps' cgroups: buildah names none, so each runtime makes /<container id>.
  snapshot_cgroups 'buildah*' '*-working-container*'
  make_rootfs "$w/rootfs"
  local c
  c=$(bh from scratch)
  bh copy "$c" "$w/rootfs" /
  bh config --cmd /bin/sh "$c"
  bh commit -q "$c" "$BASE" >/dev/null
  bh rm "$c" >/dev/null
  # Each RUN writes a file the later steps and the image must see; one runs as a user that is
  # not root. buildah 1.28 has no RUN --network: the whole bud runs with --network none, and
  # /netnone records what a RUN step sees then (lo alone, up, as runc gives it).
  cat >"$w/ctx/Containerfile" <<'CF'
FROM localhost/busybox:hull
RUN echo step1 > /step1 && mkdir -p /home/builder && chown 1234:1234 /home/builder
RUN sh -c 'ip -o link show | sed "s/^[0-9]*: \([^:@]*\).*<\([^>]*\)>.*/\1 \2/" > /netnone'
RUN echo 'builder:x:1234:1234::/home/builder:/bin/sh' >> /etc/passwd
USER builder
RUN id -u > /home/builder/uid && id -g >> /home/builder/uid && cat /step1 > /home/builder/saw-step1
USER root
RUN cat /step1 /netnone /home/builder/uid /home/builder/saw-step1 > /summary
CF
}

teardown_file() {
  [ -n "${ENG_TMP:-}" ] || return 0
  bh rm --all >/dev/null 2>&1 || true
  sandbox_stop 'buildah*' '*-working-container*'
}

bh() { sb buildah "$@"; }

# build_with RUNTIME TAG: buildah bud through RUNTIME; its --log (json) is $ENG_TMP/TAG.log.
build_with() {
  run bh bud --runtime "$1" --runtime-flag "log=$ENG_TMP/$2.log" --runtime-flag log-format=json \
    --network none -t "localhost/built:$2" -f "$ENG_TMP/ctx/Containerfile" "$ENG_TMP/ctx"
  echo "$output"
  [ "$status" -eq 0 ]
  [ -e "$ENG_TMP/$2.log" ] || fail "buildah did not run $1 (no $2.log)"
}

# summary_of TAG: /summary of the final image, read through buildah mount in the sandbox
summary_of() {
  local c m
  c=$(bh from "localhost/built:$1")
  m=$(bh mount "$c")
  sb cat "$m/summary"
  echo "owner $(sb stat -c '%u:%g' "$m/home/builder/uid")"
  bh umount "$c" >/dev/null
  bh rm "$c" >/dev/null
}

fail() {
  echo "# FAIL: $*" >&2
  return 1
}

@test "buildah bud --network none: RUN steps see each other's files, lo alone and up, a non-root USER" {
  build_with "$RUNTIME" test
  run summary_of test
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "step1
lo LOOPBACK,UP,LOWER_UP
1234
1234
step1
owner 1234:1234" ]
}

@test "buildah bud: the image built through the runtime is the one built through runc" {
  command -v runc >/dev/null || skip "runc is not installed"
  [ -n "$(bh images -q localhost/built:test 2>/dev/null)" ] || build_with "$RUNTIME" test
  build_with "$(command -v runc)" runc
  [ "$(summary_of test)" = "$(summary_of runc)" ]
}

@test "buildah run of the final image goes through the runtime" {
  [ -n "$(bh images -q localhost/built:test 2>/dev/null)" ] || build_with "$RUNTIME" test
  local c
  c=$(bh from localhost/built:test)
  run bh run --runtime "$RUNTIME" --network host "$c" sh -c 'cat /step1; id -u'
  bh rm "$c" >/dev/null
  [ "$status" -eq 0 ]
  [ "$output" = "step1
0" ]
}
