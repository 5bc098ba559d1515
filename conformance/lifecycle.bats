#!/usr/bin/env bats
# The lifecycle of runtime.md and runc's CLI: create/start/state/kill/delete, run and its exit
# codes, --detach, --pid-file, list. The probe sleeps and reports a caught signal on stdout.

load lib/common

setup() {
  common_setup
  set_args /probe --quiet --sleep 1000
}
teardown() { common_teardown; }

create_ok() {
  rt create "$@" -b "$BUNDLE" "$CID" >"$TEST_TMP/ctr.out" 2>"$TEST_TMP/ctr.err" </dev/null ||
    fail "create failed: $(cat "$TEST_TMP/ctr.err")"
}
state_field() { rt state "$CID" | jq -r ".$1"; }

# wait_sleeping [FILE]: until the probe has its signal handlers (a signal before that would be
# ignored by a pid namespace's init)
wait_sleeping() {
  while ! grep -q '^probe: sleeping' "${1:-$TEST_TMP/ctr.out}"; do sleep 0.01; done
}

@test "lifecycle: create -> created with a pid, start -> running, kill -> stopped, delete" {
  create_ok
  [ "$(state_field status)" = created ]
  local pid
  pid=$(state_field pid)
  [ "$pid" -gt 0 ]
  [ -d "/proc/$pid" ]
  rt start "$CID"
  [ "$(state_field status)" = running ]
  [ "$(state_field pid)" = "$pid" ]
  rt kill "$CID" KILL
  wait_status "$CID" stopped
  rt delete "$CID"
  run rt state "$CID"
  [ "$status" -ne 0 ]
  ! rt list -q | grep -qx "$CID"
  [ ! -e "$ROOT_DIR/$CID" ]
}

@test "lifecycle: the process runs only after start, with create's stdio" {
  set_args /probe
  create_ok
  [ ! -s "$TEST_TMP/ctr.out" ] || fail "the process ran before start"
  rt start "$CID"
  wait_status "$CID" stopped
  jq -e '.pid == 1' "$TEST_TMP/ctr.out" >/dev/null || fail "no probe output: $(cat "$TEST_TMP/ctr.out")"
}

@test "lifecycle: state is OCI state JSON" {
  create_ok
  rt state "$CID" >"$TEST_TMP/state.json"
  jq -e --arg id "$CID" --arg b "$BUNDLE" '
      (.ociVersion | type == "string" and test("^1\\."))
      and .id == $id
      and .status == "created"
      and (.pid | type == "number" and . > 0)
      and .bundle == $b
      and ((.annotations // {}) | type == "object")' "$TEST_TMP/state.json" >/dev/null ||
    fail "bad state: $(cat "$TEST_TMP/state.json")"
}

@test "lifecycle: kill without a signal sends TERM" {
  create_ok
  rt start "$CID"
  wait_sleeping
  rt kill "$CID"
  wait_status "$CID" stopped
  grep -q 'got signal 15' "$TEST_TMP/ctr.out"
}

@test "lifecycle: kill takes signal names with and without SIG, and numbers" {
  local sig want n=0
  for sig in SIGUSR1 USR2 HUP 2 SIGQUIT; do
    case $sig in SIGUSR1) want=10 ;; USR2) want=12 ;; HUP) want=1 ;; 2) want=2 ;; SIGQUIT) want=3 ;; esac
    n=$((n + 1))
    CID=$CID-$n create_ok
    rt start "$CID-$n"
    wait_sleeping
    rt kill "$CID-$n" "$sig"
    CID=$CID-$n wait_status "$CID-$n" stopped
    grep -q "got signal $want\$" "$TEST_TMP/ctr.out" || fail "kill $sig: $(cat "$TEST_TMP/ctr.out")"
    rt delete "$CID-$n"
  done
}

@test "lifecycle: an unknown signal name is an error" {
  create_ok
  rt start "$CID"
  run rt kill "$CID" SIGNOPE
  [ "$status" -ne 0 ]
  [ "$(state_field status)" = running ]
}

@test "lifecycle: kill of a created container stops it" {
  create_ok
  rt kill "$CID" KILL
  wait_status "$CID" stopped
  rt delete "$CID"
}

@test "lifecycle: start twice is an error" {
  create_ok
  rt start "$CID"
  run rt start "$CID"
  [ "$status" -ne 0 ]
  [ -n "$output" ]
  [ "$(state_field status)" = running ]
}

@test "lifecycle: start of a stopped container is an error" {
  set_args /probe --quiet
  create_ok
  rt start "$CID"
  wait_status "$CID" stopped
  run rt start "$CID"
  [ "$status" -ne 0 ]
}

@test "lifecycle: delete of a running container is an error, --force kills it" {
  create_ok
  rt start "$CID"
  local pid
  pid=$(state_field pid)
  run rt delete "$CID"
  [ "$status" -ne 0 ]
  echo "$output" | grep -qiE 'running|not stopped|stop' || fail "unclear error: $output"
  [ "$(state_field status)" = running ]
  rt delete --force "$CID"
  run rt state "$CID"
  [ "$status" -ne 0 ]
  # the init is gone (a zombie would still be reaped by its parent)
  ! grep -qs '^State:.*[RS]' "/proc/$pid/status"
}

@test "lifecycle: state, kill, start and delete of an unknown id are errors" {
  for cmd in state start delete "kill"; do
    run rt $cmd "hull-conf-no-such-$CID"
    [ "$status" -ne 0 ] || fail "$cmd of an unknown id succeeded"
    [ -n "$output" ]
  done
}

@test "lifecycle: run exits with the process's exit code" {
  set_args /probe --quiet --exit 7
  run rt run -b "$BUNDLE" "$CID"
  [ "$status" = 7 ]
  set_args /bin/false
  run rt run -b "$BUNDLE" "$CID-b"
  [ "$status" = 1 ]
}

@test "lifecycle: run exits 128+9 when the container is killed with KILL" {
  rt run -b "$BUNDLE" "$CID" >"$TEST_TMP/run.out" 2>&1 </dev/null &
  local rpid=$! rc=0
  wait_status "$CID" running
  rt kill "$CID" KILL
  wait "$rpid" || rc=$?
  [ "$rc" = 137 ] || fail "run exited $rc"
}

@test "lifecycle: run exits 128+11 when the process dies of SEGV" {
  set_args /probe --quiet --signal-self SEGV
  run rt run -b "$BUNDLE" "$CID"
  [ "$status" = 139 ]
}

@test "lifecycle: run exits 128+N for a signal the process raises outside a pid namespace" {
  cfg '.linux.namespaces |= map(select(.type != "pid"))'
  set_args /probe --quiet --signal-self USR1
  run rt run -b "$BUNDLE" "$CID"
  [ "$status" = 138 ]
}

@test "lifecycle: run --detach returns with the container running" {
  rt run --detach -b "$BUNDLE" "$CID" >"$TEST_TMP/run.out" 2>&1 </dev/null
  [ "$(state_field status)" = running ]
  rt kill "$CID" KILL
  wait_status "$CID" stopped
  rt delete "$CID"
}

@test "lifecycle: --pid-file holds the init's pid, digits only" {
  create_ok --pid-file "$TEST_TMP/pid"
  run cat "$TEST_TMP/pid"
  [[ "$output" =~ ^[0-9]+$ ]]
  [ "$output" = "$(state_field pid)" ]
  # no trailing newline, as runc writes it
  [ "$(tail -c 1 "$TEST_TMP/pid" | od -An -c | tr -d ' ')" != '\n' ]
  rt run --detach --pid-file "$TEST_TMP/pid2" -b "$BUNDLE" "$CID-2" >"$TEST_TMP/run.out" 2>&1 </dev/null
  [ "$(cat "$TEST_TMP/pid2")" = "$(rt state "$CID-2" | jq -r .pid)" ]
}

@test "lifecycle: list as a table, as JSON and quiet" {
  create_ok
  CID=$CID-2 create_ok
  rt start "$CID-2"
  run rt list
  [ "$status" = 0 ]
  [[ "${lines[0]}" =~ ^ID[[:space:]]+PID[[:space:]]+STATUS[[:space:]]+BUNDLE ]]
  echo "$output" | grep -E "^$CID +[0-9]+ +created +$BUNDLE"
  echo "$output" | grep -E "^$CID-2 +[0-9]+ +running +$BUNDLE"
  run rt list -q
  [ "$(echo "$output" | sort | tr '\n' ' ')" = "$CID $CID-2 " ]
  rt list --format json >"$TEST_TMP/list.json"
  jq -e --arg a "$CID" --arg b "$CID-2" --arg bun "$BUNDLE" '
      (map(.id) | sort) == ([$a, $b] | sort)
      and all(.[]; (.pid | type == "number") and .bundle == $bun)
      and (map(select(.id == $a))[0].status == "created")
      and (map(select(.id == $b))[0].status == "running")' "$TEST_TMP/list.json" >/dev/null ||
    fail "list json: $(cat "$TEST_TMP/list.json")"
}

@test "lifecycle: list of an empty root is empty" {
  mkdir -p "$ROOT_DIR"
  run rt list -q
  [ "$status" = 0 ]
  [ -z "$output" ]
  run rt list --format json
  [ "$status" = 0 ]
  [ "$(echo "$output" | jq 'length')" = 0 ] || [ "$output" = null ]
}

@test "lifecycle: kill --all reaches every process of the container" {
  cfg '.linux.namespaces |= map(select(.type != "pid"))' # --all matters without a pid namespace
  set_shell '/probe --quiet --sleep 1000 & /probe --quiet --sleep 1000'
  create_ok
  rt start "$CID"
  while [ "$(grep -o sleeping "$TEST_TMP/ctr.out" | wc -l)" -lt 2 ]; do sleep 0.01; done
  rt kill --all "$CID" KILL
  wait_status "$CID" stopped
  [ -z "$(live_pids "$CID")" ]
}
