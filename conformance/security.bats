#!/usr/bin/env bats
# What must not reach the container: the caller's fds, and the runtime's own binary (the
# /proc/PID/exe route of CVE-2019-5736) while the init still runs runtime code.

load lib/common

setup() { common_setup; }
teardown() { common_teardown; }

@test "security: no fd of the caller leaks into the container" {
  # bats holds fd 3 open too; 7 and 9 are ours
  exec 7<"$BUNDLE/config.json" 9>"$TEST_TMP/extra"
  probe_case
  exec 7<&- 9>&-
  [ "$(pj '[.fds[].fd] | map(tostring) | join(",")')" = "0,1,2" ]
}

@test "security: --preserve-fds passes exactly the first N extra fds" {
  set_args /probe
  (
    exec 3<"$BUNDLE/config.json" 4>"$TEST_TMP/extra" 7<"$BUNDLE/config.json"
    rt run --preserve-fds 2 -b "$BUNDLE" "$CID" >"$TEST_TMP/out.json" 2>"$TEST_TMP/err" </dev/null
  ) || fail "run failed: $(cat "$TEST_TMP/err")"
  PROBE_JSON=$TEST_TMP/out.json
  [ "$(pj '[.fds[].fd] | map(tostring) | join(",")')" = "0,1,2,3,4" ]
  [ "$(pj '.fds[] | select(.fd == 3) | .target')" = "$BUNDLE/config.json" ]
  [ "$(pj '.fds[] | select(.fd == 4) | .target')" = "$TEST_TMP/extra" ]
}

# create_holder: a created (not started) container whose init still runs runtime code
create_holder() {
  set_args /probe --quiet --sleep 1000
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/holder.out" 2>&1 || fail "create: $(cat "$TEST_TMP/holder.out")"
  HOLDER_PID=$(rt state "$CID" | jq -r .pid)
}

@test "security: a created container's waiting init holds no fd that leads out of the container" {
  # The init waits for start in the container's pid namespace; a process exec'd there with
  # CAP_SYS_PTRACE may open any fd of it through /proc/1/fd. The caller holds a directory of
  # the host open (fd 7, not passed on) to show that its fds do not reach the init either.
  set_args /probe --quiet --sleep 1000
  cfg '.process.capabilities.bounding += ["CAP_SYS_PTRACE"]
       | .process.capabilities.effective += ["CAP_SYS_PTRACE"]
       | .process.capabilities.permitted += ["CAP_SYS_PTRACE"]'
  (
    exec 7<"$BUNDLE"
    rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/holder.out" 2>&1
  ) || fail "create: $(cat "$TEST_TMP/holder.out")"
  run rt exec "$CID" /probe --fds-out 1
  [ "$status" = 0 ] || fail "exec: $output"
  echo "# $output" >&3
  [ "$(jq .out <<<"$output")" = 0 ] || fail "the init holds an fd that leads out: $output"
}

# runc re-executes itself from a sealed memfd; hull does not re-exec (DESIGN.md) and keeps its
# init non-dumpable instead, so only a caller with CAP_SYS_PTRACE over it can follow
# /proc/PID/exe. Either way, root without capabilities (same uid, so only dumpability stands
# in the way) may not reach the host binary.
@test "security: a created container's init does not expose the host runtime binary" {
  create_holder
  local exe real
  real=$(readlink -f "$RUNTIME")
  if exe=$(setpriv --inh-caps=-all --bounding-set=-all \
      readlink "/proc/$HOLDER_PID/exe" 2>/dev/null); then
    echo "# init exe as seen without privilege: $exe" >&3
    [ "$exe" != "$real" ] || fail "an unprivileged process can follow the init's exe to $real"
  fi
}

@test "security: a container cannot open the exe of another container's waiting init for writing" {
  create_holder
  # the second container shares the host pid namespace so it can name the init
  cfg '.linux.namespaces |= map(select(.type != "pid"))'
  run_probe_with rt "$CID-peer" peer --read "/proc/$HOLDER_PID/exe" --check-write "/proc/$HOLDER_PID/exe"
  PROBE_JSON=$TEST_TMP/probe.peer.json
  [ "$PROBE_RC" = 0 ]
  [ "$(pj '.checks[0].exists')" = true ] || fail "the peer cannot see the init at all: $(pj -c .checks)"
  # reading may be allowed (runc's sealed memfd copy can be read); writing never
  [ "$(pj '.checks[1].write_ok')" = false ] || fail "the peer can open the init's exe for writing"
  # Why: the init is not dumpable and this peer has no CAP_SYS_PTRACE, so the kernel refuses
  # to follow /proc/<pid>/exe at all (EACCES, 13) before any file is opened. (A peer with
  # CAP_SYS_PTRACE gets further; what stops it, ETXTBSY while the init runs and EROFS from
  # hull's read-only view after it exited, is pinned down in security-exe.bats.)
  [ "$(pj '.checks[1].errno')" = 13 ] || fail "expected EACCES, got errno $(pj '.checks[1].errno')"
}

@test "security: after start the container's exe is its own program" {
  set_args /probe --quiet --sleep 1000
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/ctr.out" 2>&1
  rt start "$CID"
  while ! grep -q sleeping "$TEST_TMP/ctr.out"; do sleep 0.01; done
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  [ "$(readlink "/proc/$pid/exe")" = /probe ]
}
