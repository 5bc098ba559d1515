#!/usr/bin/env bats
# Hooks: each stage at its moment and in its namespace, with the state on stdin, args, env
# and timeout; failures stop create/start (naming the hook and its status) and tear the
# container down; poststart/poststop failures are warnings.

load ../lib/common
load helpers

setup() {
  spec_setup
  mkdir -p "$TEST_TMP/hooklog"
  LOG=$TEST_TMP/hooklog/log
  # One script for the host (dash) and the container (busybox): logs the stage, the status
  # from the state on stdin, the mount namespace and the hostname it runs under.
  cat >"$TEST_TMP/hook.sh" <<'SH'
#!/bin/sh
state=$(cat)
status=$(echo "$state" | sed -n 's/.*"status":"\([a-z]*\)".*/\1/p')
echo "$1 $status $(readlink /proc/self/ns/mnt) $(cat /proc/sys/kernel/hostname) ${FOO:-}" >>"$HOOKLOG"
exit "${HOOK_EXIT:-0}"
SH
  chmod +x "$TEST_TMP/hook.sh"
  cp "$TEST_TMP/hook.sh" "$BUNDLE/rootfs/hook.sh"
  cfg '.mounts += [{destination: "/hooklog", type: "bind", source: $d, options: ["rbind"]}]' \
    --arg d "$TEST_TMP/hooklog"
  HOST_MNT=$(readlink /proc/self/ns/mnt)
}
teardown() {
  [ -n "${TEST_TMP:-}" ] && "$RUNC" --root "$RUNC_ROOT" delete -f "$CID-hs" >/dev/null 2>&1
  spec_teardown
}

# add_hook STAGE [EXIT] [EXTRA_JQ]: the logging hook on STAGE (in-container path for
# startContainer), exiting with EXIT.
add_hook() {
  local stage=$1 code=${2:-0} path=$TEST_TMP/hook.sh log=$LOG
  if [ "$stage" = startContainer ]; then path=/hook.sh; log=/hooklog/log; fi
  cfg '.hooks[$s] += [{path: $p, args: ["hook.sh", $s], env: ["HOOKLOG=" + $l, "HOOK_EXIT=" + $c]}]' \
    --arg s "$stage" --arg p "$path" --arg l "$log" --arg c "$code"
}

all_stages() {
  local s
  for s in prestart createRuntime createContainer startContainer poststart poststop; do add_hook "$s"; done
}

@test "every stage runs once, in order, with the status the spec gives it" {
  all_stages
  set_args true
  rt create -b "$BUNDLE" "$CID"
  rt start "$CID"
  for i in $(seq 100); do [ "$(rt state "$CID" | jq -r .status)" = stopped ] && break; sleep 0.05; done
  rt delete "$CID"
  cat "$LOG"
  run awk '{print $1, $2}' "$LOG"
  [ "$output" = "prestart creating
createRuntime creating
createContainer creating
startContainer created
poststart created
poststop stopped" ]
}

# runc 1.1.5 gives poststart "created" and every hook its own spec version (1.0.2-dev, the one
# `runc state` prints), never the config's ociVersion. hull gives its own (1.2.0) the same way.
# hook_states RUNNER...: create/state/start/delete under RUNNER; the hooks' stdin in $TEST_TMP/hs.
hook_states() {
  rm -rf "$TEST_TMP/hs" && mkdir -p "$TEST_TMP/hs"
  "$@" create -b "$BUNDLE" "$CID-hs"
  STATE_VERSION=$("$@" state "$CID-hs" | jq -r .ociVersion)
  "$@" start "$CID-hs"
  "$@" delete -f "$CID-hs"
  [ "$(jq -r .status "$TEST_TMP/hs/prestart")" = creating ]
  [ "$(jq -r .status "$TEST_TMP/hs/createRuntime")" = creating ]
  [ "$(jq -r .status "$TEST_TMP/hs/poststart")" = created ]
  [ "$(jq -r .status "$TEST_TMP/hs/poststop")" = stopped ]
  local st
  for st in prestart createRuntime poststart poststop; do
    [ "$(jq -r .ociVersion "$TEST_TMP/hs/$st")" = "$STATE_VERSION" ]
  done
  [ "$STATE_VERSION" != 1.0.0 ]
}

@test "hook state: poststart says created and ociVersion is the runtime's own, as under runc" {
  cfg '.ociVersion = "1.0.0" | .process.args = ["true"]'
  local st
  for st in prestart createRuntime poststart poststop; do
    cfg '.hooks[$s] = [{path: "/bin/sh", args: ["sh", "-c", "cat > " + $d + "/" + $s]}]' \
      --arg s "$st" --arg d "$TEST_TMP/hs"
  done
  hook_states rt
  echo "# $RUNTIME: $STATE_VERSION"
  command -v "$RUNC" >/dev/null || return 0
  hook_states "$RUNC" --root "$RUNC_ROOT"
  echo "# $RUNC: $STATE_VERSION"
}

@test "prestart/createRuntime/poststart/poststop run in the runtime's namespaces, createContainer/startContainer in the container's" {
  all_stages
  set_args true
  run_ctr "$CID"
  [ "$status" -eq 0 ]
  cat "$LOG"
  local stage st mnt host
  while read -r stage st mnt host _; do
    case $stage in
      prestart | createRuntime | poststart | poststop) [ "$mnt" = "$HOST_MNT" ] ;;
      createContainer) [ "$mnt" != "$HOST_MNT" ] ;;
      startContainer) [ "$mnt" != "$HOST_MNT" ] && [ "$host" = spec ] ;;
    esac
  done <"$LOG"
  [ "$(wc -l <"$LOG")" -eq 6 ]
}

@test "the state on stdin is the container's: id, pid, bundle" {
  cfg '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "cat > \($o)"]}]' --arg o "$TEST_TMP/state.json"
  set_args sleep 10
  rt create -b "$BUNDLE" "$CID"
  local pid
  pid=$(rt state "$CID" | jq .pid)
  run jq -r '[.id, .pid, .bundle, .ociVersion != null] | @tsv' "$TEST_TMP/state.json"
  [ "$output" = "$CID	$pid	$BUNDLE	true" ]
}

@test "args and env reach the hook exactly (argv[0] from args, env from env only)" {
  cfg '.hooks.createRuntime = [{path: "/bin/sh",
        args: ["custom0", "-c", "echo \"$(head -c 7 /proc/$$/cmdline)|$0|$1|$FOO|${HOME:-unset}\" > \($o)", "zero", "one two"],
        env: ["FOO=bar baz"]}]' --arg o "$TEST_TMP/args"
  set_args true
  run_ctr "$CID"
  [ "$status" -eq 0 ]
  cat "$TEST_TMP/args"
  [ "$(cat "$TEST_TMP/args")" = "custom0|zero|one two|bar baz|unset" ]
}

@test "a hook that outlives its timeout is killed and create fails naming it; nothing left" {
  cfg '.hooks.createRuntime = [{path: "/bin/sleep", args: ["sleep", "30"], timeout: 1}]'
  set_args true
  local start=$SECONDS
  run rt create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  [ $((SECONDS - start)) -lt 20 ]
  if [ "$RUNTIME_NAME" != runc ]; then
    [[ "$output" == *"/hooks/createRuntime/0"* ]]
    [[ "$output" == *"timed out"* ]]
  fi
  left_nothing "$CID"
}

@test "a failing prestart, createRuntime or createContainer hook fails create, names the hook and status, and tears down" {
  local stage
  for stage in prestart createRuntime createContainer; do
    cfg 'del(.hooks)'
    add_hook "$stage" 3
    set_args true
    run rt create -b "$BUNDLE" "$CID-$stage"
    echo "$stage: $status $output"
    [ "$status" -ne 0 ]
    if [ "$RUNTIME_NAME" != runc ]; then
      [[ "$output" == *"/hooks/$stage/0"* ]]
      [[ "$output" == *"$TEST_TMP/hook.sh"* ]]
      [[ "$output" == *"status 3"* ]]
    fi
    left_nothing "$CID-$stage"
  done
}

@test "a failing hook's output is part of the error" {
  [ "$RUNTIME_NAME" != runc ] || skip "runc logs hook output elsewhere"
  cfg '.hooks.createRuntime = [{path: "/bin/sh", args: ["sh", "-c", "echo the-hook-said-this >&2; exit 4"]}]'
  set_args true
  run rt create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"the-hook-said-this"* ]]
}

@test "a failing startContainer hook stops the container before the user process runs" {
  add_hook startContainer 5
  set_args sh -c 'touch /hooklog/ran'
  run_ctr "$CID"
  echo "$output"
  [ "$status" -ne 0 ]
  [ ! -e "$TEST_TMP/hooklog/ran" ]
  if [ "$RUNTIME_NAME" != runc ]; then
    [[ "$output" == *"/hooks/startContainer/0"* ]]
    [[ "$output" == *"status 5"* ]]
  fi
}

@test "a failing poststart hook is a warning: the container runs on" {
  add_hook poststart 6
  set_args sh -c 'touch /hooklog/ran'
  run_ctr "$CID"
  echo "$output"
  [ -e "$TEST_TMP/hooklog/ran" ]
  if [ "$RUNTIME_NAME" != runc ]; then
    [ "$status" -eq 0 ]
    [[ "$output" == *"warning"*"/hooks/poststart/0"* ]]
  fi
}

@test "a failing poststop hook is a warning: delete still removes the container" {
  add_hook poststop 7
  set_args true
  rt create -b "$BUNDLE" "$CID"
  run rt delete -f "$CID"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"/hooks/poststop/0"* ]] || [ "$RUNTIME_NAME" = runc ]
  left_nothing "$CID"
  grep -q "^poststop stopped" "$LOG"
}

@test "poststop hooks run when create fails after createRuntime began (what it set up comes down)" {
  add_hook createRuntime
  add_hook createContainer 3
  add_hook poststop
  set_args true
  run rt create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  cat "$LOG"
  grep -q "^createRuntime" "$LOG"
  grep -q "^poststop" "$LOG"
  left_nothing "$CID"
}

@test "a hook path that does not exist fails create naming the path" {
  cfg '.hooks.prestart = [{path: "/nonexistent/hook"}]'
  set_args true
  run rt create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/nonexistent/hook"* ]] || [ "$RUNTIME_NAME" = runc ]
  left_nothing "$CID"
}

# fd_hooks OUTDIR: createRuntime, createContainer, poststart and poststop hooks that each write
# the fds `ls` sees in /proc/self/fd (its own stdio plus the one it lists with) to OUTDIR/STAGE.
fd_hooks() {
  local out=$1 stage
  for stage in createRuntime createContainer poststart poststop; do
    cfg '.hooks[$s] += [{path: "/bin/sh", args: ["sh", "-c", "ls /proc/self/fd | tr \"\\n\" \" \" >\($o)/\($s)"]}]' \
      --arg s "$stage" --arg o "$out"
  done
}

# lifecycle_with_extra_fds RUNTIME ROOT ID: create, start, delete with --log and fds 7 and 9
# open in the caller (9 without close-on-exec, as a shell leaves them).
lifecycle_with_extra_fds() {
  local bin=$1 root=$2 id=$3
  exec 7>"$TEST_TMP/extra7" 9<"$BUNDLE/config.json"
  "$bin" --root "$root" --log "$TEST_TMP/$id.log" create -b "$BUNDLE" "$id" </dev/null >/dev/null
  "$bin" --root "$root" --log "$TEST_TMP/$id.log" start "$id" </dev/null
  for _ in $(seq 1 1000); do
    [ "$("$bin" --root "$root" state "$id" | jq -r .status)" = stopped ] && break
    sleep 0.02
  done
  "$bin" --root "$root" --log "$TEST_TMP/$id.log" delete "$id" </dev/null
  exec 7>&- 9<&-
}

@test "hooks see only their stdio: not --log, not the caller's fds, not hull's own" {
  mkdir -p "$TEST_TMP/fds" "$TEST_TMP/fds-ref"
  fd_hooks "$TEST_TMP/fds"
  set_args true
  lifecycle_with_extra_fds "$RUNTIME" "$ROOT_DIR" "$CID"
  local stage
  for stage in createRuntime createContainer poststart poststop; do
    echo "$stage: $(cat "$TEST_TMP/fds/$stage")"
    # 0-2 and the directory ls reads (3); a leak shows as 4 or more (bats itself holds 3 too)
    [ "$(cat "$TEST_TMP/fds/$stage")" = "0 1 2 3 " ]
  done
  # runc on the same bundle and caller fds sees the same in createRuntime and poststart. In
  # the other two runc 1.1.5 leaks: its init's pipes (4-6) reach createContainer hooks, and
  # `runc delete` hands poststop hooks the caller's fds (7, 9, bats' own). hull does neither.
  cfg 'del(.hooks)'
  fd_hooks "$TEST_TMP/fds-ref"
  lifecycle_with_extra_fds "$RUNC" "$RUNC_ROOT" "$CID-ref"
  for stage in createRuntime poststart; do
    echo "runc $stage: $(cat "$TEST_TMP/fds-ref/$stage")"
    [ "$(cat "$TEST_TMP/fds-ref/$stage")" = "$(cat "$TEST_TMP/fds/$stage")" ]
  done
}

@test "createContainer hooks run with the rootfs as cwd, so relative paths work (as runc)" {
  echo in-rootfs >"$BUNDLE/rootfs/marker"
  cfg '.hooks.createContainer = [{path: "/bin/sh", args: ["sh", "-c", "pwd >\($o)/cwd.$0; cat marker >\($o)/marker.$0", "mine"]}]' \
    --arg o "$TEST_TMP"
  set_args true
  run_ctr "$CID"
  [ "$status" -eq 0 ]
  [ "$(cat "$TEST_TMP/cwd.mine")" = "$(realpath "$BUNDLE/rootfs")" ]
  [ "$(cat "$TEST_TMP/marker.mine")" = in-rootfs ]
  # runc: the same hook in a copy of the bundle runs in that copy's rootfs
  rm -rf "$BUNDLE-ref"
  cp -a "$BUNDLE" "$BUNDLE-ref"
  jq '.hooks.createContainer[0].args[3] = "ref"' "$BUNDLE/config.json" >"$BUNDLE-ref/config.json"
  "$RUNC" --root "$RUNC_ROOT" run -b "$BUNDLE-ref" "$CID-ref"
  [ "$(cat "$TEST_TMP/cwd.ref")" = "$(realpath "$BUNDLE-ref/rootfs")" ]
  [ "$(cat "$TEST_TMP/marker.ref")" = in-rootfs ]
}


@test "a createContainer hook with a relative path runs from the rootfs (as runc)" {
  printf '#!/bin/sh\npwd >"$1"\n' >"$BUNDLE/rootfs/relhook"
  chmod +x "$BUNDLE/rootfs/relhook"
  cfg '.hooks.createContainer = [{path: "relhook", args: ["relhook", $o]}]' --arg o "$TEST_TMP/rel.out"
  set_args true
  run_ctr "$CID"
  [ "$status" -eq 0 ]
  [ "$(cat "$TEST_TMP/rel.out")" = "$(realpath "$BUNDLE/rootfs")" ]
  rm -rf "$BUNDLE-ref"
  cp -a "$BUNDLE" "$BUNDLE-ref"
  cfg '.hooks.createContainer[0].args[1] = $o' --arg o "$TEST_TMP/rel.ref"
  cp "$BUNDLE/config.json" "$BUNDLE-ref/config.json"
  "$RUNC" --root "$RUNC_ROOT" run -b "$BUNDLE-ref" "$CID-ref"
  [ "$(cat "$TEST_TMP/rel.ref")" = "$(realpath "$BUNDLE-ref/rootfs")" ]
}

@test "other stages still refuse a relative hook path, naming it" {
  cfg '.hooks.prestart = [{path: "relhook"}]'
  set_args true
  run rt create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/hooks/prestart/0/path"* ]] || [ "$RUNTIME_NAME" = runc ]
  left_nothing "$CID"
}

# A state bigger than a pipe's buffer (64 KiB) makes the runtime's write to a hook that never
# reads its stdin end in EPIPE whatever the timing: the runtime must not die of SIGPIPE.
big_state() {
  head -c 100000 /dev/zero | tr '\0' x >"$TEST_TMP/big"
  cfg '.annotations.big = $b' --rawfile b "$TEST_TMP/big"
}
# The hook closes its stdin (or exits) without reading a byte.
deaf_hook() {
  cfg '.hooks[$s] += [{path: "/bin/sh", args: ["sh", "-c", "exec <&-; echo \($s) >> \($l)"]}]' \
    --arg s "$1" --arg l "$LOG"
}

@test "hooks that close stdin without reading: create, start and delete go on (no SIGPIPE), nothing left" {
  big_state
  local stage
  for stage in prestart createRuntime poststart poststop; do deaf_hook "$stage"; done
  set_args sleep 100
  # the container keeps its stdio: not run's capture pipe
  rt create -b "$BUNDLE" "$CID" </dev/null >/dev/null 2>"$TEST_TMP/create.err" 3>&- || {
    cat "$TEST_TMP/create.err"
    false
  }
  run rt start "$CID"
  echo "start: $status $output"
  [ "$status" -eq 0 ]
  [ "$(rt state "$CID" | jq -r .status)" = running ]
  run rt delete -f "$CID"
  echo "delete: $status $output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
  cat "$LOG"
  [ "$(cat "$LOG")" = "prestart
createRuntime
poststart
poststop" ]
  left_nothing "$CID"
  [ -z "$(find /sys/fs/cgroup -maxdepth 3 -type d -name "$CID" 2>/dev/null)" ]
  # runc goes through the same (it drops EPIPE on a hook's stdin)
  command -v "$RUNC" >/dev/null || return 0
  : >"$LOG"
  "$RUNC" --root "$RUNC_ROOT" create -b "$BUNDLE" "$CID-ref" </dev/null >/dev/null 2>&1 3>&-
  "$RUNC" --root "$RUNC_ROOT" start "$CID-ref"
  "$RUNC" --root "$RUNC_ROOT" delete -f "$CID-ref"
  [ "$(wc -l <"$LOG")" -eq 4 ]
}

@test "a hook that exits at once without reading does not fail its stage" {
  big_state
  cfg '.hooks.createRuntime = [{path: "/bin/true"}] | .hooks.poststop = [{path: "/bin/true"}]'
  set_args true
  run rt run -b "$BUNDLE" "$CID"
  echo "$status $output"
  [ "$status" -eq 0 ]
  left_nothing "$CID"
}

@test "the container process sees SIGPIPE at its default disposition with hooks on every stage (as runc)" {
  all_stages
  # SIGPIPE is signal 13: bit 0x1000 of the ignored mask. Only that bit is compared: the rest
  # depends on what the caller ignored (nohup, a background job), which runc partly resets.
  set_args sh -c 'ign=$(awk "/^SigIgn:/ { print \$2 }" /proc/self/status); echo "SIGPIPE ignored: $(((0x$ign >> 12) & 1))"'
  same_as_runc --copy observe_run
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "SIGPIPE ignored: 0" ]
}
