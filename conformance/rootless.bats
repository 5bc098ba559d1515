#!/usr/bin/env bats
# Rootless: every verb run by an unprivileged user the suite creates (lib/rootless.bash) on
# `spec --rootless` bundles, side by side with runc run by the same user (runc rootless is the
# oracle). The state root is the user's $XDG_RUNTIME_DIR/hull (runc: .../runc); the user
# namespace maps the user's own id directly and /etc/subuid ranges through newuidmap.

load lib/common
load lib/rootless

setup_file() {
  [ "$(id -u)" = 0 ] || skip "the rootless suite makes its user as root"
  command -v setpriv >/dev/null || skip "setpriv (util-linux) is needed"
  rootless_user_create
}

teardown_file() { rootless_user_remove; }

setup() {
  common_setup
  [ -n "${RL_USER:-}" ] || skip "no test user"
  # the runtimes as the user, each with its default state root under XDG_RUNTIME_DIR
  ROOT_DIR=$RL_XDG/hull
  RUNC_ROOT=$RL_XDG/runc
  UDIR=$TEST_TMP/user # the user's own scratch (sockets, bind sources)
  install -d -m 0755 -o "$RL_UID" -g "$RL_GID" "$UDIR"
  rootless_bundle "$BUNDLE"
}

teardown() {
  [ -n "${RECV_PID:-}" ] && kill "$RECV_PID" 2>/dev/null
  local id
  for id in "$CID" "$RUNC_CID"; do
    rt delete --force "$id" >/dev/null 2>&1 || true
    ref delete --force "$id" >/dev/null 2>&1 || true
  done
  common_teardown
}

# The runtimes as the user: no --root, so the default (the point of these tests) is used.
# Warnings (no writable cgroup on this host) go to --log, not into the compared output.
rt() { as_user "$RUNTIME" --log "$UDIR/hull.log" "$@"; }
ref() { as_user "$RUNC" --log "$UDIR/runc.log" "$@"; }

# nothing of ID is left: no state under the user's root, not listed, no process naming it
assert_rootless_nothing_left() {
  local id=$1 left=""
  [ -e "$ROOT_DIR/$id" ] && left+="state dir $ROOT_DIR/$id; "
  rt list -q 2>/dev/null | grep -qx -- "$id" && left+="listed; "
  local p
  p=$(live_pids "$id")
  [ -n "$p" ] && left+="processes: $p; "
  [ -z "$(ls -A "$ROOT_DIR" 2>/dev/null | grep '^~new~')" ] || left+="half-made state dirs; "
  [ -z "$left" ] || fail "left behind for $id: $left"
}

# run_as_user: runs the bundle as the user under hull; output and exit status in $output, $status
run_as_user() {
  status=0
  output=$(rt run -b "$BUNDLE" "$CID" 2>&1 </dev/null) || status=$?
}

@test "rootless: hull is not setuid or setgid and carries no file capabilities" {
  local mode
  mode=$(stat -c %a "$RUNTIME")
  [ $((0$mode & 06000)) = 0 ] || fail "$RUNTIME has mode $mode"
  if command -v getcap >/dev/null; then
    [ -z "$(getcap "$RUNTIME")" ] || fail "file capabilities on $RUNTIME: $(getcap "$RUNTIME")"
  fi
  # and the process the user runs has no capability in the host's namespace
  run rt features
  [ "$status" = 0 ] || fail "features as the user: $output"
  jq -e .ociVersionMax <<<"$output" >/dev/null || fail "features printed: $output"
}

@test "rootless: a setuid copy of hull refuses to run, naming the set-id bits" {
  local copy=$TEST_TMP/hull-setuid
  cp "$RUNTIME" "$copy"
  findmnt -no OPTIONS -T "$copy" | grep -qw nosuid && skip "$TEST_TMP is on a nosuid mount"
  # The copy's read-only view made first (root's exec of a missing container makes it), so
  # that hull's entry point has a view to re-execute from: the refusal must come all the same.
  local view=/run/hull/.exe/$(stat -c '%d-%i' "$copy")
  "$copy" --root "$TEST_TMP/root-state" exec "$CID-none" true 2>/dev/null || true
  if [[ "$RUNTIME_NAME" == hull* ]]; then
    [ -f "$view" ] || fail "no view of the copy at $view"
  fi
  chmod 4755 "$copy"
  run as_user "$copy" --root "$UDIR/state" run -b "$BUNDLE" "$CID"
  if [ -f "$view" ]; then umount "$view" && rm -f "$view"; fi
  [ "$status" = 1 ] || fail "exit $status: $output"
  [[ $output == *"refusing to run setuid or setgid (real uid $RL_UID, effective uid 0"*"set-id bits"* ]] ||
    fail "message: $output"
  [ ! -e "$UDIR/state" ] || fail "it made its state root"
  chmod 2755 "$copy"
  run as_user "$copy" list
  [ "$status" = 1 ] && [[ $output == *"refusing to run setuid or setgid"* ]] || fail "setgid: $output"
}

@test "rootless: the state root defaults to \$XDG_RUNTIME_DIR/hull, 0700 and sticky, as runc's" {
  set_args sleep 1000
  rt run -d -b "$BUNDLE" "$CID" </dev/null || fail "run -d as the user failed"
  [ -f "$RL_XDG/hull/$CID/state.json" ] || fail "no state under $RL_XDG/hull: $(ls -la "$RL_XDG")"
  [ "$(stat -c '%U %a' "$RL_XDG/hull")" = "$RL_USER 1700" ] ||
    fail "state root is $(stat -c '%U %a' "$RL_XDG/hull")"
  ref run -d -b "$BUNDLE" "$RUNC_CID" </dev/null || fail "runc run -d as the user failed"
  [ "$(stat -c %a "$RL_XDG/runc")" = "$(stat -c %a "$RL_XDG/hull")" ] ||
    fail "runc's root is $(stat -c %a "$RL_XDG/runc"), hull's $(stat -c %a "$RL_XDG/hull")"
  # --root still wins
  run as_user "$RUNTIME" --root "$UDIR/state" list -q
  [ "$status" = 0 ] && [ -z "$output" ] || fail "--root $UDIR/state: $output"
  [ "$(rt state "$CID" | jq -r .owner)" = "$RL_USER" ] || fail "owner is not $RL_USER"
}

@test "rootless: without XDG_RUNTIME_DIR or --root the error says what to set, nothing is made" {
  run as_user env -u XDG_RUNTIME_DIR "$RUNTIME" run -b "$BUNDLE" "$CID"
  [ "$status" = 1 ] || fail "exit $status: $output"
  [[ $output == *"state root /run/hull"*"XDG_RUNTIME_DIR"*"--root"* ]] || fail "message: $output"
  assert_rootless_nothing_left "$CID"
}

@test "rootless: run shows the container what runc's shows (probe differential)" {
  probe_case
}

@test "rootless: /sys is the host's rbind (read-only), devices are bind mounts, mqueue and pts as the rootless spec asks" {
  set_args /probe
  run_probe
  [ "$PROBE_RC" = 0 ] || fail "run failed"
  local sys
  sys=$(jq -c '.mounts[] | select(.mountpoint == "/sys")' "$PROBE_JSON")
  [[ $sys == *'"fstype":"sysfs"'* && $sys == *'"options":"ro,'* ]] || fail "/sys: $sys"
  local d m
  for d in null zero full random urandom tty; do
    m=$(jq -r --arg p "/dev/$d" '.mounts[] | select(.mountpoint == $p) | "\(.fstype) \(.root)"' "$PROBE_JSON")
    [ "$m" = "devtmpfs /$d" ] || fail "/dev/$d is not a bind of the host's node: '$m'"
  done
  jq -e '.mounts[] | select(.mountpoint == "/dev/mqueue" and .fstype == "mqueue")' "$PROBE_JSON" >/dev/null ||
    fail "no mqueue at /dev/mqueue"
  jq -e '.mounts[] | select(.mountpoint == "/dev/pts" and .fstype == "devpts")
         | select(.super_options | test("mode=620") and test("ptmxmode=666"))' "$PROBE_JSON" >/dev/null ||
    fail "/dev/pts: $(jq -c '.mounts[] | select(.mountpoint == "/dev/pts")' "$PROBE_JSON")"
  # devpts without gid=5: the user namespace has no group 5 mapped
  jq -e '.mounts[] | select(.mountpoint == "/dev/pts") | .super_options | test("gid=") | not' \
    "$PROBE_JSON" >/dev/null || fail "devpts has a gid option"
}

@test "rootless: linux.devices are bind-mounted from the host, not mknod'ed (runc alike)" {
  cfg '.linux.devices = [{path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 438}]'
  set_shell 'stat -c "%t:%T %F" /dev/fuse && grep " /dev/fuse " /proc/self/mountinfo | cut -d" " -f4,9'
  same_as_runc observe_run
  [[ $output == "a:e5 character special file"*"/fuse devtmpfs"* ]] || fail "output: $output"
}

@test "rootless: a device the host does not have fails naming /linux/devices/0, nothing left" {
  cfg '.linux.devices = [{path: "/dev/hull-no-such-dev", type: "c", major: 1, minor: 3}]'
  run_as_user
  [ "$status" != 0 ] || fail "run succeeded: $output"
  [[ $output == *"/linux/devices/0"*"/dev/hull-no-such-dev"* ]] || fail "message: $output"
  assert_rootless_nothing_left "$CID"
}

@test "rootless: run -d, state, list, ps, exec, kill, delete as the user" {
  set_args sleep 1000
  rt run -d -b "$BUNDLE" "$CID" </dev/null || fail "run -d failed"
  run rt state "$CID"
  [ "$(jq -r .status <<<"$output")" = running ] || fail "state: $output"
  local pid
  pid=$(jq -r .pid <<<"$output")
  [ "$(stat -c %u "/proc/$pid")" = "$RL_UID" ] || fail "init runs as uid $(stat -c %u "/proc/$pid")"
  run rt list
  [[ $output == *"$CID"*running*"$RL_USER"* ]] || fail "list: $output"
  run rt list --format json
  [ "$(jq -r --arg i "$CID" '.[] | select(.id == $i) | .owner' <<<"$output")" = "$RL_USER" ] ||
    fail "list json: $output"
  run rt ps "$CID"
  [ "$status" = 0 ] || fail "ps: $output"
  [[ $output == *PID*"sleep 1000"* ]] || fail "ps does not list the container's sleep: $output"
  run rt ps --format json "$CID"
  [ "$output" = "[$pid]" ] || fail "ps --format json: $output (init $pid)"
  run rt exec "$CID" sh -c 'id -u; cat /proc/self/uid_map'
  [ "$status" = 0 ] || fail "exec: $output"
  [ "$(echo "$output" | head -1)" = 0 ] || fail "exec uid: $output"
  [ "$(echo "$output" | tail -1 | awk '{print $1, $2, $3}')" = "0 $RL_UID 1" ] || fail "uid_map: $output"
  run rt kill "$CID" KILL
  [ "$status" = 0 ] || fail "kill: $output"
  local i
  for i in $(seq 1 500); do
    [ "$(rt state "$CID" | jq -r .status)" = stopped ] && break
    sleep 0.02
  done
  [ "$(rt state "$CID" | jq -r .status)" = stopped ] || fail "not stopped after kill"
  rt delete "$CID" || fail "delete failed"
  assert_rootless_nothing_left "$CID"
}

# observe_lifecycle RUNNER ID BUNDLE: create, start, the process's exit; the states seen
observe_lifecycle() {
  local runner=$1 id=$2 bundle=$3 i
  "$runner" create -b "$bundle" "$id" </dev/null >/dev/null || return
  "$runner" state "$id" | jq -r .status
  "$runner" start "$id" || return
  for i in $(seq 1 500); do
    [ "$("$runner" state "$id" | jq -r .status)" = stopped ] && break
    sleep 0.02
  done
  "$runner" state "$id" | jq -r .status
  "$runner" delete "$id"
}

@test "rootless: create then start as the user: created, then stopped when the process exits, as runc" {
  set_shell 'exit 3'
  same_as_runc observe_lifecycle
  [ "$output" = "$(printf 'created\nstopped')" ] || fail "states: $output"
  assert_rootless_nothing_left "$CID"
}

@test "rootless: exec -t with a console socket as the user" {
  set_args sleep 1000
  rt run -d -b "$BUNDLE" "$CID" </dev/null || fail "run -d failed"
  local sock=$UDIR/console.sock
  as_user "$RECVTTY" "$sock" >"$TEST_TMP/tty.out" 2>"$TEST_TMP/tty.err" </dev/null &
  RECV_PID=$!
  while [ ! -S "$sock" ]; do
    kill -0 "$RECV_PID" 2>/dev/null || fail "recvtty died: $(cat "$TEST_TMP/tty.err")"
    sleep 0.01
  done
  rt exec -t --console-socket "$sock" "$CID" sh -c 'tty; test -t 0 && echo is-a-tty' ||
    fail "exec -t failed"
  wait "$RECV_PID" || fail "recvtty: $(cat "$TEST_TMP/tty.err")"
  RECV_PID=
  local out
  out=$(tr -d '\r' <"$TEST_TMP/tty.out")
  [[ $out == */dev/pts/*is-a-tty* ]] || fail "terminal output: $out"
}

@test "rootless: pause without a writable cgroup fails with an error naming the cgroup, the container runs on" {
  set_args sleep 1000
  rt run -d -b "$BUNDLE" "$CID" </dev/null || fail "run -d failed"
  run rt pause "$CID"
  if [ "$status" = 0 ]; then
    # a writable (delegated) cgroup: then resume must work too
    rt resume "$CID" || fail "resume failed after pause"
  else
    [[ $output == *cgroup* ]] || fail "pause error does not name the cgroup: $output"
  fi
  [ "$(rt state "$CID" | jq -r .status)" = running ] || fail "not running after pause/resume"
}

@test "rootless: /etc/subuid ranges go through newuidmap/newgidmap, as runc" {
  cfg '.linux.uidMappings = [{containerID: 0, hostID: $u, size: 1}, {containerID: 1, hostID: $su, size: 65536}]
     | .linux.gidMappings = [{containerID: 0, hostID: $g, size: 1}, {containerID: 1, hostID: $sg, size: 65536}]' \
    --argjson u "$RL_UID" --argjson g "$RL_GID" --argjson su "$RL_SUBUID" --argjson sg "$RL_SUBGID"
  set_shell 'cat /proc/self/uid_map /proc/self/gid_map /proc/self/setgroups'
  same_as_runc observe_run
  [ "$(echo "$output" | awk 'NR <= 4 { printf "%s %s %s;", $1, $2, $3 }')" = \
    "0 $RL_UID 1;1 $RL_SUBUID 65536;0 $RL_GID 1;1 $RL_SUBGID 65536;" ] || fail "maps: $output"
  # newgidmap leaves setgroups allowed when it maps more than the user's own gid
  [ "$(echo "$output" | tail -1)" = allow ] || fail "setgroups: $output"
}

@test "rootless: ids the user does not own are refused by newuidmap, the error names /linux/uidMappings" {
  # a range that is not the user's (another user's, or nobody's)
  cfg '.linux.uidMappings = [{containerID: 0, hostID: $u, size: 1}, {containerID: 1, hostID: 1, size: 100}]' \
    --argjson u "$RL_UID"
  run_as_user
  [ "$status" != 0 ] || fail "run succeeded: $output"
  [[ $output == *"config.json: /linux/uidMappings: newuidmap failed: "*newuidmap* ]] || fail "message: $output"
  assert_rootless_nothing_left "$CID"
  ref run -b "$BUNDLE" "$RUNC_CID" </dev/null >/dev/null 2>&1 && fail "runc ran it" || true
}

@test "rootless: a user-owned dir is bind-mounted and writable, without and with a network namespace" {
  as_user mkdir "$UDIR/data"
  add_mount /data bind "$UDIR/data" rbind,rw
  set_shell 'echo hi >/data/f && ip -o link | wc -l'
  run_as_user
  [ "$status" = 0 ] || fail "run: $output"
  [ "$(stat -c %U "$UDIR/data/f")" = "$RL_USER" ] || fail "file owned by $(stat -c %U "$UDIR/data/f")"
  local host_links
  host_links=$(ip -o link | wc -l)
  [ "$output" = "$host_links" ] || fail "host netns expected ($host_links links), saw $output"
  rt delete -f "$CID"
  add_namespace network
  run_as_user
  [ "$status" = 0 ] || fail "run with a network namespace: $output"
  [ "$output" = 1 ] || fail "a new netns has only lo, saw $output links"
}

@test "rootless: a host dir the user cannot read fails naming /mounts/N, nothing left" {
  local secret=$TEST_TMP/secret n
  mkdir -m 0700 "$secret"
  echo s >"$secret/f"
  add_mount /secret bind "$secret" rbind,ro
  n=$(($(jq '.mounts | length' "$BUNDLE/config.json") - 1))
  run_as_user
  [ "$status" != 0 ] || fail "run succeeded: $output"
  [[ $output == *"/mounts/$n"*"$secret"* ]] || fail "message does not name /mounts/$n and $secret: $output"
  assert_rootless_nothing_left "$CID"
  # runc 1.1.5 mounts it (the user then cannot read it inside); hull refuses up front
}

@test "rootless: a file system only real root may mount fails naming /mounts/N, nothing left" {
  add_mount /mnt bpf bpf ""
  local n=$(($(jq '.mounts | length' "$BUNDLE/config.json") - 1))
  set_shell true
  run_as_user
  [ "$status" != 0 ] || fail "run succeeded: $output"
  [[ $output == *"/mounts/$n"* ]] || fail "message does not name /mounts/$n: $output"
  assert_rootless_nothing_left "$CID"
  ref run -b "$BUNDLE" "$RUNC_CID" </dev/null >/dev/null 2>&1 && fail "runc mounted bpf" || true
}
