#!/usr/bin/env bats
# process.terminal: the pty master travels over --console-socket (SCM_RIGHTS) to recvtty,
# and `run` in the foreground uses the caller's terminal (given one by `script`).

load lib/common

setup() {
  common_setup
  [ -x "${RECVTTY:-}" ] || skip "RECVTTY not built (run through meson test)"
  cfg '.process.terminal = true'
  SOCK=$TEST_TMP/console.sock
}
teardown() {
  [ -n "${RECV_PID:-}" ] && kill "$RECV_PID" 2>/dev/null
  common_teardown
}

# start_recvtty [--input TEXT]: listens on $SOCK, output in $TEST_TMP/tty.out
start_recvtty() {
  "$RECVTTY" --name-file "$TEST_TMP/tty.name" "$@" "$SOCK" >"$TEST_TMP/tty.out" 2>"$TEST_TMP/tty.err" </dev/null &
  RECV_PID=$!
  while [ ! -S "$SOCK" ]; do
    kill -0 "$RECV_PID" 2>/dev/null || fail "recvtty died: $(cat "$TEST_TMP/tty.err")"
    sleep 0.01
  done
}

# wait_recvtty: until the container side of the pty is closed. Once the container has
# stopped, every slave fd should be gone; a recvtty still reading long after that means a
# runtime process kept the slave open, which would otherwise hang the test.
wait_recvtty() {
  local after_stop=0
  while kill -0 "$RECV_PID" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$RECV_PID/stat")" != Z ]; do
    if [ "$(rt state "$CID" 2>/dev/null | jq -r .status)" != running ] &&
      [ "$(rt state "$CID" 2>/dev/null | jq -r .status)" != created ]; then
      after_stop=$((after_stop + 1))
      [ "$after_stop" -lt 500 ] || fail "the pty is still open after the container stopped"
    fi
    sleep 0.01
  done
  wait "$RECV_PID" || fail "recvtty failed: $(cat "$TEST_TMP/tty.err")"
  RECV_PID=
}

# the probe's JSON from the terminal output (the pty turns \n into \r\n)
tty_json() { tr -d '\r' <"$TEST_TMP/tty.out" | grep '^{' | tail -1; }

@test "terminal: create --console-socket hands over the pty master, stdio is the pty" {
  set_args /probe --list-dir /dev
  start_recvtty
  rt create --console-socket "$SOCK" -b "$BUNDLE" "$CID" >"$TEST_TMP/create.out" 2>&1 ||
    fail "create failed: $(cat "$TEST_TMP/create.out")"
  rt start "$CID"
  wait_recvtty
  tty_json >"$TEST_TMP/tty.json"
  PROBE_JSON=$TEST_TMP/tty.json
  jq -e . "$PROBE_JSON" >/dev/null || fail "no probe JSON on the terminal: $(head -c 300 "$TEST_TMP/tty.out")"
  local t
  for fd in 0 1 2; do
    t=$(pj ".fds[] | select(.fd == $fd) | .target")
    [[ "$t" == /dev/pts/* ]] || fail "fd $fd is $t, not the pty"
  done
  [ "$(pj '.fds | length')" = 3 ]
  # /dev/console is the container's terminal
  [ "$(pj '.dirs[0].entries[] | select(.name == "console") | .type')" = c ]
  [ "$(pj '.dirs[0].entries[] | select(.name == "console") | .rdev' | cut -d: -f1)" = 136 ]
  grep -q . "$TEST_TMP/tty.name" # the runtime sent a name with the fd
}

@test "terminal: input written to the master reaches the process" {
  set_args /bin/sh
  start_recvtty --input $'echo "in-$((6*7))"\nexit 3\n'
  rt create --console-socket "$SOCK" -b "$BUNDLE" "$CID" >"$TEST_TMP/create.out" 2>&1
  rt start "$CID"
  wait_recvtty
  grep -q 'in-42' "$TEST_TMP/tty.out" || fail "no output of the input: $(cat "$TEST_TMP/tty.out")"
  wait_status "$CID" stopped
}

@test "terminal: run --detach --console-socket" {
  set_shell 'tty; stty size'
  cfg '.process.consoleSize = {height: 40, width: 120}'
  start_recvtty
  rt run --detach --console-socket "$SOCK" -b "$BUNDLE" "$CID" >"$TEST_TMP/run.out" 2>&1 ||
    fail "run -d failed: $(cat "$TEST_TMP/run.out")"
  wait_recvtty
  grep -q '^/dev/' "$TEST_TMP/tty.out" || fail "tty printed: $(cat "$TEST_TMP/tty.out")"
  grep -q '^40 120' "$TEST_TMP/tty.out" || fail "consoleSize not applied: $(cat "$TEST_TMP/tty.out")"
}

@test "terminal: run -t in the foreground uses the caller's terminal (under script)" {
  command -v script >/dev/null || skip "script (util-linux) not installed"
  set_shell 'tty; echo in-container; exit 5'
  run script -qec "$RUNTIME --root $ROOT_DIR run -b $BUNDLE $CID" /dev/null </dev/null
  [ "$status" = 5 ] || fail "exit $status, output: $output"
  [[ "$output" == *in-container* ]]
  [[ "$output" == */dev/pts/* ]]
}

@test "terminal: create with terminal true but no --console-socket is an error" {
  snapshot_mounts
  run rt create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  echo "$output" | grep -qi 'console' || fail "error does not mention the console socket: $output"
  assert_nothing_left "$CID"
}

@test "terminal: a non-root user owns its pty, the tty group stays (as with runc)" {
  cfg '.process.user = {uid: 1000, gid: 1000}'
  set_shell 'stat -c "owner=%u:%g" "$(tty)"'
  start_recvtty
  rt run --detach --console-socket "$SOCK" -b "$BUNDLE" "$CID" >"$TEST_TMP/run.out" 2>&1 ||
    fail "run -d failed: $(cat "$TEST_TMP/run.out")"
  wait_recvtty
  local mine
  mine=$(tr -d '\r' <"$TEST_TMP/tty.out" | grep '^owner=')
  echo "hull: $mine"
  # The tty group of the spec's devpts (gid=5), the owner the process user.
  [ "$mine" = "owner=1000:5" ]
  if have_runc_reference; then
    start_recvtty
    ref run --detach --console-socket "$SOCK" -b "$BUNDLE" "$RUNC_CID" >"$TEST_TMP/run.out" 2>&1 ||
      fail "runc run -d failed: $(cat "$TEST_TMP/run.out")"
    while kill -0 "$RECV_PID" 2>/dev/null && [ "$(cut -d' ' -f3 "/proc/$RECV_PID/stat")" != Z ]; do
      sleep 0.01
    done
    wait "$RECV_PID"
    RECV_PID=
    echo "runc: $(tr -d '\r' <"$TEST_TMP/tty.out" | grep '^owner=')"
    [ "$(tr -d '\r' <"$TEST_TMP/tty.out" | grep '^owner=')" = "$mine" ]
  fi
}

@test "terminal: exec -t as a non-root user gets a pty it owns" {
  cfg '.process.terminal = false | .process.args = ["sleep", "1000"]'
  rt run -d -b "$BUNDLE" "$CID" </dev/null >/dev/null 2>&1
  command -v script >/dev/null || skip "script (util-linux) not installed"
  run script -qec "$RUNTIME --root $ROOT_DIR exec -t --user 1000:1000 $CID sh -c 'stat -c owner=%u:%g \$(tty)'" /dev/null </dev/null
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"owner=1000:5"* ]]
}
