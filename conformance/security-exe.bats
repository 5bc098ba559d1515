#!/usr/bin/env bats
# The runtime's own binary, as container code can reach it (the CVE-2019-5736 class). The
# container's process is a script whose first line is `#!/proc/self/exe update`: the kernel
# runs the binary of the process that execs the script, so the container runs the runtime
# itself (`update /evil -r -`, which blocks reading stdin). A second container, root with
# CAP_SYS_PTRACE in the host pid namespace, holds /proc/<pid>/exe (O_PATH) and reopens it for
# writing while that process runs and again after it exited. hull runs every process that
# container code can reach from a read-only bind mount of its binary (or a sealed memfd), so
# the second reopen fails with EROFS; against a writable host binary it would succeed.

load lib/common

setup() {
  common_setup
  EXE_REAL=$(readlink -f "$RUNTIME")
  EXE_SUM=$(sha256sum <"$EXE_REAL")
  # the target's stdin: the shebanged runtime blocks reading it until we close fd 7
  mkfifo "$TEST_TMP/target.in" "$TEST_TMP/attack.in"
  exec 7<>"$TEST_TMP/target.in" 8<>"$TEST_TMP/attack.in"
  printf '#!/proc/self/exe update\n' >"$BUNDLE/rootfs/evil"
  chmod 755 "$BUNDLE/rootfs/evil"
  cfg '.linux.cgroupsPath = $p' --arg p "/$CID"
}

# The shebang runs the runtime's binary inside the container's busybox root, where a
# dynamically linked build (the sanitizer pass's) finds no loader: exec fails with ENOENT
# before anything can be attacked. The static build of the first pass runs these cases.
needs_static_runtime() {
  if readelf -l "$EXE_REAL" | grep -q 'program interpreter'; then
    skip "$EXE_REAL is dynamically linked: the container's root has no loader to run it"
  fi
}

teardown() {
  exec 7>&- 8>&-
  local d p
  # containers that never got a state (a test that failed half way) go by their cgroup
  for d in $(cgroups_mentioning "$CID"); do
    for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
  done
  common_teardown
}

# wait_lines FILE N ID: until FILE has N lines; fails if container ID stopped first
wait_lines() {
  local file=$1 n=$2 id=$3
  while [ "$(wc -l <"$file")" -lt "$n" ]; do
    if [ "$(rt state "$id" 2>/dev/null | jq -r .status)" != running ]; then
      [ "$(wc -l <"$file")" -ge "$n" ] && break
      fail "$id stopped before line $n: $(cat "$file" "$file.err" 2>/dev/null)"
      return 1
    fi
    sleep 0.02
  done
}

# attack PID: starts the attacker container holding /proc/PID/exe (step 0), then step 1: it
# reopens the held file for writing while PID still runs it
attack() {
  local target=$1 saved=$BUNDLE
  BUNDLE=$TEST_TMP/peer
  make_bundle "$BUNDLE"
  remove_namespace pid
  cfg '.process.capabilities |= with_entries(.value += ["CAP_SYS_PTRACE"])'
  cfg '.linux.cgroupsPath = $p' --arg p "/$CID-peer"
  set_args /probe --hold-exe "$target"
  rt run -d -b "$BUNDLE" "$CID-peer" <"$TEST_TMP/attack.in" >"$TEST_TMP/attack.out" \
    2>"$TEST_TMP/attack.out.err" || fail "attacker: $(cat "$TEST_TMP/attack.out.err")"
  BUNDLE=$saved
  wait_lines "$TEST_TMP/attack.out" 1 "$CID-peer"
  [ "$(sed -n 1p "$TEST_TMP/attack.out" | jq .hold_errno)" = 0 ] ||
    fail "the attacker cannot hold /proc/$target/exe: $(cat "$TEST_TMP/attack.out")"
  echo step >&8
  wait_lines "$TEST_TMP/attack.out" 2 "$CID-peer"
}

# finish PID: lets the shebanged runtime read EOF and exit, waits until PID is gone, and has
# the attacker try again (step 2)
finish() {
  local pid=$1
  exec 7>&-
  while [ -e "/proc/$pid" ] && [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != Z ]; do
    sleep 0.02
  done
  echo step >&8
  wait_lines "$TEST_TMP/attack.out" 3 "$CID-peer"
}

# what the attacker got: step N's FIELD errno
got() { sed -n "$(($1 + 1))p" "$TEST_TMP/attack.out" | jq -r ".$2"; }

# The verdict shared by run, create+start and exec.
assert_binary_out_of_reach() {
  local exe_seen=$1
  cat "$TEST_TMP/attack.out" >&2
  echo "# target exe: $exe_seen" >&2
  # the container ran the runtime (the shebang worked) but not the host's file
  [ "$exe_seen" != "$EXE_REAL" ] || fail "the container's process runs the host binary $EXE_REAL"
  # while it runs, writing a binary being executed fails with ETXTBSY (26) whatever it is
  [ "$(got 1 wronly_errno)" = 26 ] || fail "O_WRONLY while running: errno $(got 1 wronly_errno)"
  [ "$(got 1 rdwr_errno)" = 26 ] || fail "O_RDWR while running: errno $(got 1 rdwr_errno)"
  # once it exited nothing executes the file: only the read-only mount stands in the way (EROFS, 30)
  [ "$(got 2 wronly_errno)" = 30 ] || fail "O_WRONLY after exit: errno $(got 2 wronly_errno)"
  [ "$(got 2 rdwr_errno)" = 30 ] || fail "O_RDWR after exit: errno $(got 2 rdwr_errno)"
  [ "$(got 2 write_errno)" = -1 ] || fail "a write was attempted: $(got 2 write_errno)"
  [ "$(sha256sum <"$EXE_REAL")" = "$EXE_SUM" ] || fail "the runtime binary changed"
}

@test "security-exe: run: a #!/proc/self/exe process and a CAP_SYS_PTRACE peer cannot write the runtime binary" {
  needs_static_runtime
  set_args /evil -r -
  rt run -d -b "$BUNDLE" "$CID" <"$TEST_TMP/target.in" >"$TEST_TMP/target.out" 2>&1 ||
    fail "run: $(cat "$TEST_TMP/target.out")"
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  local exe
  exe=$(readlink "/proc/$pid/exe")
  attack "$pid"
  finish "$pid"
  assert_binary_out_of_reach "$exe"
  # what the shebang ran: the runtime's own CLI, reading stdin for `update -r -`
  grep -q "stdin" "$TEST_TMP/target.out" || fail "target said: $(cat "$TEST_TMP/target.out")"
}

@test "security-exe: create+start: the same through a created, then started container" {
  needs_static_runtime
  set_args /evil -r -
  rt create -b "$BUNDLE" "$CID" <"$TEST_TMP/target.in" >"$TEST_TMP/target.out" 2>&1 ||
    fail "create: $(cat "$TEST_TMP/target.out")"
  local pid exe_created exe
  pid=$(rt state "$CID" | jq -r .pid)
  exe_created=$(readlink "/proc/$pid/exe")
  [ "$exe_created" != "$EXE_REAL" ] || fail "the waiting init runs the host binary"
  rt start "$CID"
  # the init has exec'd the script once its cmdline is the shebang's
  while ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q '^/proc/self/exe update /evil'; do
    sleep 0.02
  done
  exe=$(readlink "/proc/$pid/exe")
  attack "$pid"
  finish "$pid"
  assert_binary_out_of_reach "$exe"
}

@test "security-exe: exec: the same for a process exec'd into a running container" {
  needs_static_runtime
  set_args /probe --quiet --sleep 1000
  rt run -d -b "$BUNDLE" "$CID" </dev/null >"$TEST_TMP/init.out" 2>&1 ||
    fail "run: $(cat "$TEST_TMP/init.out")"
  rt exec -d --pid-file "$TEST_TMP/exec.pid" "$CID" /evil -r - <"$TEST_TMP/target.in" \
    >"$TEST_TMP/target.out" 2>&1 || fail "exec: $(cat "$TEST_TMP/target.out")"
  local pid exe
  pid=$(cat "$TEST_TMP/exec.pid")
  exe=$(readlink "/proc/$pid/exe")
  attack "$pid"
  finish "$pid"
  assert_binary_out_of_reach "$exe"
}

# fallback ARGS...: the runtime where no view can be made (a read-only tmpfs over /run/hull
# in a private mount namespace, as for a caller without mount privilege)
fallback() {
  unshare -m --propagation private sh -c \
    'mount -t tmpfs -o ro hull-no-view /run/hull && exec "$0" "$@"' "$RUNTIME" --root "$ROOT_DIR" "$@"
}

@test "security-exe: where no view can be made, the process runs from a sealed memfd copy" {
  needs_static_runtime
  [[ "$RUNTIME_NAME" == hull* ]] || skip "hull's own fallback"
  set_args /evil -r -
  fallback run -d -b "$BUNDLE" "$CID" <"$TEST_TMP/target.in" >"$TEST_TMP/target.out" 2>&1 ||
    fail "run: $(cat "$TEST_TMP/target.out")"
  local pid exe
  pid=$(rt state "$CID" | jq -r .pid)
  exe=$(readlink "/proc/$pid/exe")
  [ "$exe" = "/memfd:hull (deleted)" ] || fail "target exe: $exe"
  attack "$pid"
  finish "$pid"
  cat "$TEST_TMP/attack.out" >&2
  [ "$(got 1 wronly_errno)" = 26 ] || fail "O_WRONLY while running: errno $(got 1 wronly_errno)"
  # a memfd opens for writing once nothing executes it, but its seals refuse the write (EPERM)
  [ "$(got 2 wronly_errno)" = 0 ] || fail "O_WRONLY after exit: errno $(got 2 wronly_errno)"
  [ "$(got 2 write_errno)" = 1 ] || fail "write after exit: errno $(got 2 write_errno)"
  [ "$(sha256sum <"$EXE_REAL")" = "$EXE_SUM" ] || fail "the runtime binary changed"
}

@test "security-exe: the read-only view is made once and reused, keyed by the binary's dev:ino" {
  local key view
  key=$(stat -L -c '%d-%i' "$EXE_REAL")
  [[ "$RUNTIME_NAME" == hull* ]] || skip "hull's own mechanism"
  set_args true
  rt run -b "$BUNDLE" "$CID" </dev/null || fail "run failed"
  view=/run/hull/.exe/$key
  [ -f "$view" ] || fail "no view at $view"
  findmnt -n -o OPTIONS --target "$view" | grep -qw ro || fail "$view is not a read-only mount"
  local before
  before=$(grep -c " $view " /proc/self/mountinfo)
  rt run -b "$BUNDLE" "$CID-2" </dev/null || fail "second run failed"
  [ "$(grep -c " $view " /proc/self/mountinfo)" = "$before" ] || fail "a second mount was stacked"
}

@test "security-exe: a binary that cannot be protected is an error in --log, and nothing is made" {
  [[ "$RUNTIME_NAME" == hull* ]] || skip "hull's own mechanism"
  set_args true
  # the marker of hull's own re-execution, in a process that still runs the writable binary
  run env _HULL_SELF_PROTECTED=1 "$RUNTIME" --root "$ROOT_DIR" --log "$TEST_TMP/log" \
    create -b "$BUNDLE" "$CID"
  [ "$status" = 1 ] || fail "status $status: $output"
  [[ "$output" == *"protecting the hull binary: still writable"* ]] || fail "stderr: $output"
  grep -q 'level=error msg="protecting the hull binary: still writable' "$TEST_TMP/log" ||
    fail "not in --log: $(cat "$TEST_TMP/log" 2>&1)"
  run rt state "$CID"
  [ "$status" != 0 ] || fail "$CID exists: $output"
}

@test "security-exe: every global flag before the command, and create still runs protected" {
  local key pid
  key=$(stat -L -c '%d-%i' "$EXE_REAL")
  [[ "$RUNTIME_NAME" == hull* ]] || skip "hull's own mechanism"
  set_args sleep 1000
  # a scanner that did not know --cgroup-manager took its value for the command
  "$RUNTIME" --cgroup-manager cgroupfs --root "$ROOT_DIR" --log-format=json --debug \
    create -b "$BUNDLE" "$CID" </dev/null || fail "create failed"
  pid=$(rt state "$CID" | jq -r .pid)
  [ "$(readlink "/proc/$pid/exe")" = "/run/hull/.exe/$key" ] ||
    fail "init runs $(readlink "/proc/$pid/exe")"
}

@test "security-exe: with the view made, run re-executes from it before the C library starts" {
  local key
  needs_static_runtime
  [[ "$RUNTIME_NAME" == hull* ]] || skip "hull's own entry point"
  [ "$(uname -m)" = x86_64 ] || skip "the entry point is x86_64's"
  command -v strace >/dev/null || skip "no strace"
  key=$(stat -L -c '%d-%i' "$EXE_REAL")
  set_args true
  rt run -b "$BUNDLE" "$CID" </dev/null || fail "first run failed"
  [ -f "/run/hull/.exe/$key" ] || fail "no view after a run"
  strace -qq -o "$TEST_TMP/trace" -e trace=execve,execveat,brk \
    "$RUNTIME" --root "$ROOT_DIR" run -b "$BUNDLE" "$CID-2" </dev/null || fail "run under strace"
  cat "$TEST_TMP/trace" >&2
  # the binary's execve, then at once the view's execveat: no brk, the C library never started
  sed -n 1p "$TEST_TMP/trace" | grep -q '^execve(' || fail "first call: $(sed -n 1p "$TEST_TMP/trace")"
  sed -n 2p "$TEST_TMP/trace" | grep -q '^execveat(.*AT_EMPTY_PATH) = 0' ||
    fail "second call: $(sed -n 2p "$TEST_TMP/trace")"
  [ "$(grep -c '^execveat(' "$TEST_TMP/trace")" = 1 ] || fail "more than one re-execution"
}

@test "security-exe: a read-only executable planted at the view's path is never executed" {
  local key
  [[ "$RUNTIME_NAME" == hull* ]] || skip "hull's own mechanism"
  key=$(stat -L -c '%d-%i' "$EXE_REAL")
  # an executable that does nothing and exits 0: run through it, `run` would succeed silently
  cp /bin/true "$TEST_TMP/planted"
  set_args sh -c 'echo the-container-ran'
  # In a private mount namespace: a view directory of its own, and at the binary's key a
  # read-only bind mount of another executable (the right name, mount and mode, the wrong file)
  run unshare -m --propagation private sh -c '
    mount -t tmpfs -o mode=0700 hull-planted /run/hull/.exe &&
    : >"/run/hull/.exe/$1" && mount --bind "$2" "/run/hull/.exe/$1" &&
    mount -o remount,bind,ro "/run/hull/.exe/$1" && shift 2 && exec "$@"' \
    sh "$key" "$TEST_TMP/planted" "$RUNTIME" --root "$ROOT_DIR" run -b "$BUNDLE" "$CID"
  [ "$status" = 0 ] || fail "run: status $status: $output"
  [[ "$output" == *the-container-ran* ]] || fail "the container did not run: $output"
}
