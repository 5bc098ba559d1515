#!/usr/bin/env bats
# Bad input: each case must fail (non-zero exit) with an error that names the file or field,
# and leave nothing behind: no state dir, cgroup, mount or process for the id.
# Messages are checked loosely so runc passes too; hull's own wording is checked where
# RUNTIME_NAME is hull.

load lib/common

setup() {
  common_setup
  snapshot_mounts
}
teardown() { common_teardown; }

# expect_create_failure: create must fail with a message; sets $output
expect_create_failure() {
  run rt create -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -ne 0 ] || fail "create succeeded"
  [ -n "$output" ] || fail "no error message"
  echo "# $RUNTIME_NAME said: $output" >&3
}

error_mentions() {
  echo "$output" | grep -qiE -- "$1" || fail "error does not mention /$1/: $output"
}

@test "bad input: config.json that is not JSON" {
  printf '{"ociVersion": "1.0.2", "process": {"args": [' >"$BUNDLE/config.json"
  expect_create_failure
  error_mentions 'config.json|json|EOF' # runc 1.1 only says "unexpected EOF"
  [ "$RUNTIME_NAME" != hull ] || error_mentions 'config.json'
  assert_nothing_left "$CID"
}

@test "bad input: missing config.json" {
  rm "$BUNDLE/config.json"
  expect_create_failure
  error_mentions 'config.json'
  assert_nothing_left "$CID"
}

@test "bad input: process.args given as a string" {
  cfg '.process.args = "/probe"'
  expect_create_failure
  error_mentions 'args'
  [ "$RUNTIME_NAME" != hull ] || error_mentions '/process/args'
  assert_nothing_left "$CID"
}

@test "bad input: process.user.uid given as a string" {
  cfg '.process.user.uid = "0"'
  expect_create_failure
  error_mentions 'uid'
  [ "$RUNTIME_NAME" != hull ] || error_mentions '/process/user/uid'
  assert_nothing_left "$CID"
}

@test "bad input: root.path that does not exist" {
  cfg '.root.path = "no-such-rootfs"'
  expect_create_failure
  error_mentions 'no-such-rootfs'
  assert_nothing_left "$CID"
}

@test "bad input: a bundle dir that does not exist" {
  run rt create -b "$TEST_TMP/no-such-bundle" "$CID" </dev/null
  [ "$status" -ne 0 ]
  error_mentions 'no-such-bundle|config.json'
  assert_nothing_left "$CID"
}

@test "bad input: args[0] not found in the rootfs" {
  set_args /no/such/program
  run rt run -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -ne 0 ]
  # engines turn this wording into exit code 127
  error_mentions 'no such file or directory'
  error_mentions '/no/such/program'
  assert_nothing_left "$CID"
}

@test "bad input: args[0] not found on PATH" {
  set_args no-such-program-on-path
  run rt run -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -ne 0 ]
  error_mentions 'no-such-program-on-path'
  error_mentions 'not found|no such file'
  assert_nothing_left "$CID"
}

@test "bad input: relative process.cwd" {
  cfg '.process.cwd = "relative/dir"'
  expect_create_failure
  error_mentions 'cwd'
  assert_nothing_left "$CID"
}

@test "bad input: an unknown namespace type" {
  cfg '.linux.namespaces += [{type: "bogusns"}]'
  expect_create_failure
  error_mentions 'bogusns|namespace'
  [ "$RUNTIME_NAME" != hull ] || error_mentions '/linux/namespaces'
  assert_nothing_left "$CID"
}

@test "bad input: a namespace type listed twice" {
  cfg '.linux.namespaces += [{type: "pid"}]'
  expect_create_failure
  error_mentions 'pid|namespace|duplicate'
  assert_nothing_left "$CID"
}

@test "bad input: a mount with a relative destination" {
  [ "$RUNTIME_NAME" = runc ] && skip "runc 1.1 accepts relative mount destinations (deprecated in the spec)"
  add_mount relative/dest tmpfs tmpfs size=64k
  expect_create_failure
  error_mentions 'destination|/mounts'
  assert_nothing_left "$CID"
}

@test "bad input: a mount destination that is a symlink out of the rootfs stays inside it" {
  local hostdir=$TEST_TMP/hostdir
  mkdir -p "$hostdir"
  echo keep >"$hostdir/file"
  ln -s "$hostdir" "$BUNDLE/rootfs/evil-abs"
  ln -s "../../../../../../../../..$hostdir" "$BUNDLE/rootfs/evil-rel"
  add_mount /evil-abs tmpfs tmpfs size=64k
  add_mount /evil-rel/sub tmpfs tmpfs size=64k
  set_args /probe
  run rt run -b "$BUNDLE" "$CID" </dev/null
  # refusing is fine; succeeding is fine only if the mounts landed inside the rootfs
  if [ "$status" = 0 ]; then
    echo "$output" | grep '^{' | jq -e . >/dev/null
  else
    echo "# $RUNTIME_NAME refused: $output" >&3
    assert_nothing_left "$CID"
  fi
  # the host dir is untouched: same single file, no mount on or under it
  [ "$(ls -A "$hostdir")" = file ]
  [ "$(cat "$hostdir/file")" = keep ]
  [ -z "$(mounts_under "$hostdir")" ]
  [ "$(mounts_under "$TEST_TMP")" = "$(cat "$TEST_TMP/mounts.before")" ]
}

@test "bad input: a duplicate id on create" {
  set_args /probe --quiet --sleep 1000
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/ctr.out" 2>&1
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  run rt create -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -ne 0 ]
  error_mentions 'exist|already|in use'
  # the first container is untouched
  [ "$(rt state "$CID" | jq -r '.status + " " + (.pid | tostring)')" = "created $pid" ]
}

@test "bad input: an id with a slash or dots" {
  for id in "../escape-$CID" "a/b-$CID" ".."; do
    run rt create -b "$BUNDLE" "$id" </dev/null
    [ "$status" -ne 0 ] || fail "id '$id' accepted"
    error_mentions 'id'
  done
  [ ! -e "$TEST_TMP/escape-$CID" ]
  [ -z "$(live_pids "escape-$CID")" ]
}

# Numbers and signals on the command line: each bad value is refused with an error that
# names the flag (or the signal argument), the container is left as it was, and runc is
# run on the same input to compare the exit status.

# start_sleepers: a running container under the runtime under test ($CID) and, when runc is
# present, under runc ($RUNC_CID), from the same bundle.
start_sleepers() {
  set_args /probe --quiet --sleep 1000
  rt run -d -b "$BUNDLE" "$CID" </dev/null >/dev/null 2>&1 || fail "$RUNTIME_NAME run -d failed"
  if have_runc_reference; then
    ref run -d -b "$BUNDLE" "$RUNC_CID" </dev/null >/dev/null 2>&1 || fail "runc run -d failed"
  fi
}

# refused_by_both ERROR_RE ARGS...: `ARGS` (with ID for the container) fails under the
# runtime under test naming ERROR_RE, fails under runc too, and both containers still run.
refused_by_both() {
  local want=$1
  shift
  run rt "${@//ID/$CID}" </dev/null
  [ "$status" -ne 0 ] || fail "$RUNTIME_NAME accepted: $*"
  echo "# $RUNTIME_NAME said: $output" >&3
  [ "$RUNTIME_NAME" != hull ] || error_mentions "$want"
  [ "$(rt state "$CID" | jq -r .status)" = running ] || fail "the container did not survive: $*"
  if have_runc_reference; then
    run ref "${@//ID/$RUNC_CID}" </dev/null
    [ "$status" -ne 0 ] || fail "runc accepted: $*"
    [ "$(ref state "$RUNC_CID" | jq -r .status)" = running ] || fail "runc's container died: $*"
  fi
}

@test "bad input: kill with a signal number followed by junk (9abc) is refused, not taken as 9" {
  start_sleepers
  refused_by_both 'signal: invalid value "9abc"' kill ID 9abc
}

@test "bad input: kill with a signal number past int range is refused naming the signal" {
  start_sleepers
  refused_by_both 'signal: invalid value "99999999999": out of range' kill ID 99999999999
  refused_by_both 'signal: invalid value "65"' kill ID 65
  refused_by_both 'signal: invalid value "-1"' kill ID -- -1
}

@test "bad input: kill RTMIN+99 is outside the real-time range" {
  start_sleepers
  refused_by_both 'RTMIN\+99.*real-time range' kill ID RTMIN+99
  refused_by_both 'RTMAX-99.*real-time range' kill ID RTMAX-99
}

@test "bad input: update --memory 8192p overflows and is refused, not made unlimited" {
  start_sleepers
  local dir before
  dir=$(cgroups_mentioning "$CID" | grep '/memory/' | head -1)
  [ -n "$dir" ] || skip "no v1 memory cgroup for the container"
  before=$(cat "$dir/memory.limit_in_bytes")
  # runc refuses it too, but only when the kernel rejects the wrapped value it writes
  refused_by_both '--memory: invalid value "8192p": out of range' update --memory 8192p ID
  [ "$(cat "$dir/memory.limit_in_bytes")" = "$before" ]
  refused_by_both '--memory: invalid value "12q"' update --memory 12q ID
  refused_by_both '--cpu-share: invalid value "-1"' update --cpu-share -1 ID
  refused_by_both '--cpu-share: invalid value "9abc"' update --cpu-share 9abc ID
  refused_by_both '--pids-limit: invalid value "99999999999999999999"' \
    update --pids-limit 99999999999999999999 ID
  refused_by_both '--blkio-weight: invalid value "70000"' update --blkio-weight 70000 ID
}

@test "bad input: --preserve-fds -3 is refused (it would strip stdio)" {
  start_sleepers
  run rt exec --preserve-fds -3 "$CID" true </dev/null
  [ "$status" -ne 0 ]
  [ "$RUNTIME_NAME" != hull ] || error_mentions '--preserve-fds: invalid value "-3"'
  run rt exec --preserve-fds abc "$CID" true </dev/null
  [ "$status" -ne 0 ]
  [ "$RUNTIME_NAME" != hull ] || error_mentions '--preserve-fds: invalid value "abc"'
  # runc 1.1.5 runs the process with -3 (exit 0); hull refuses a count that cannot be right
  if have_runc_reference; then
    run ref exec --preserve-fds abc "$RUNC_CID" true </dev/null
    [ "$status" -ne 0 ]
  fi
  run rt run --preserve-fds -3 -b "$BUNDLE" "$CID-run" </dev/null
  [ "$status" -ne 0 ]
  [ "$RUNTIME_NAME" != hull ] || error_mentions '--preserve-fds'
  assert_nothing_left "$CID-run"
}

@test "bad input: events --interval nan, 0s and -5s are refused naming --interval" {
  start_sleepers
  local v
  for v in nan 0s -5s; do
    refused_by_both "--interval: invalid value \"$v\"" events "--interval=$v" ID
  done
}

@test "bad input: --no-subreaper is accepted by run (as runc) and by create" {
  # Bound to a variable that outlives parsing: it was a dead stack slot (ASan:
  # stack-use-after-return). runc has the flag on run only; hull also takes it on create.
  set_args /probe --quiet --sleep 1000
  rt run -d --no-subreaper -b "$BUNDLE" "$CID" </dev/null >/dev/null 2>&1
  [ "$(rt state "$CID" | jq -r .status)" = running ]
  rt create --no-subreaper -b "$BUNDLE" "$CID-c" </dev/null >/dev/null 2>&1
  [ "$(rt state "$CID-c" | jq -r .status)" = created ]
  if have_runc_reference; then
    ref run -d --no-subreaper -b "$BUNDLE" "$RUNC_CID" </dev/null >/dev/null 2>&1
    [ "$(ref state "$RUNC_CID" | jq -r .status)" = running ]
  fi
}

@test "signal 0: kill ID 0 and kill --all ID 0 check liveness without signalling, as runc" {
  start_sleepers
  rt kill "$CID" 0
  rt kill --all "$CID" 0
  [ "$(rt state "$CID" | jq -r .status)" = running ]
  if have_runc_reference; then
    ref kill "$RUNC_CID" 0
    ref kill --all "$RUNC_CID" 0
    [ "$(ref state "$RUNC_CID" | jq -r .status)" = running ]
  fi
  # once the container has stopped, signal 0 fails under both
  rt kill "$CID" KILL
  wait_status "$CID" stopped
  run rt kill "$CID" 0
  [ "$status" -ne 0 ]
  if have_runc_reference; then
    ref kill "$RUNC_CID" KILL
    for _ in $(seq 1 1000); do
      [ "$(ref state "$RUNC_CID" | jq -r .status)" = stopped ] && break
      sleep 0.02
    done
    run ref kill "$RUNC_CID" 0
    [ "$status" -ne 0 ]
  fi
}

# The pid file cannot be redirected: hull writes a fresh O_EXCL|O_NOFOLLOW temporary file
# beside it and renames it over the path, so a symlink there is replaced, never followed.

# pid_file_case RUNNER ID PIDFILE: create with --pid-file; sets $status and $output
# (not bats' run: the container would hold its output pipe open)
pid_file_case() {
  set_args /probe --quiet --sleep 1000
  status=0
  "$1" create --pid-file "$3" -b "$BUNDLE" "$2" </dev/null >"$TEST_TMP/create.out" 2>&1 || status=$?
  output=$(cat "$TEST_TMP/create.out")
}

@test "pid file: a symlink at the pid-file path is replaced, its target untouched (as runc)" {
  local runner id dir
  for runner in rt ref; do
    [ "$runner" = rt ] || have_runc_reference || continue
    id=$CID
    [ "$runner" = rt ] || id=$RUNC_CID
    dir=$TEST_TMP/pid-$runner
    mkdir -p "$dir"
    echo precious >"$dir/target"
    ln -s "$dir/target" "$dir/pid"
    pid_file_case "$runner" "$id" "$dir/pid"
    [ "$status" -eq 0 ] || fail "$runner: $output"
    [ "$(cat "$dir/target")" = precious ]
    [ ! -L "$dir/pid" ]
    [ "$(cat "$dir/pid")" = "$("$runner" state "$id" | jq -r .pid)" ]
    [ "$(ls -A "$dir" | sort | tr '\n' ' ')" = "pid target " ] || fail "left: $(ls -A "$dir")"
  done
}

@test "pid file: a symlink planted at a temporary name is never written through" {
  # ".pid" is the first temporary name of both: runc refuses (O_EXCL, "file exists"), hull
  # moves on to a random name; the target stays untouched under both.
  local runner id dir
  for runner in rt ref; do
    [ "$runner" = rt ] || have_runc_reference || continue
    id=$CID
    [ "$runner" = rt ] || id=$RUNC_CID
    dir=$TEST_TMP/pid-$runner
    mkdir -p "$dir"
    echo precious >"$dir/target"
    ln -s "$dir/target" "$dir/.pid"
    pid_file_case "$runner" "$id" "$dir/pid"
    echo "# $runner: $status $output" >&3
    [ "$(cat "$dir/target")" = precious ]
    if [ "$runner" = rt ]; then
      [ "$status" -eq 0 ]
      [ "$(cat "$dir/pid")" = "$(rt state "$id" | jq -r .pid)" ]
      [ "$(ls -A "$dir" | sort | tr '\n' ' ')" = ".pid pid target " ] || fail "left: $(ls -A "$dir")"
    fi
  done
}

@test "pid file: a pre-created file is replaced whole, a missing directory fails naming it" {
  echo "999999 and a much longer old content" >"$TEST_TMP/pid"
  pid_file_case rt "$CID" "$TEST_TMP/pid"
  [ "$status" -eq 0 ]
  [ "$(cat "$TEST_TMP/pid")" = "$(rt state "$CID" | jq -r .pid)" ]
  pid_file_case rt "$CID-2" "$TEST_TMP/no-such-dir/pid"
  [ "$status" -ne 0 ]
  error_mentions 'no-such-dir'
  assert_nothing_left "$CID-2"
  if have_runc_reference; then
    pid_file_case ref "$RUNC_CID" "$TEST_TMP/no-such-dir/pid"
    [ "$status" -ne 0 ]
  fi
}

# --- Ids that would wrap into root (issue 16 item 1) ----------------------------------------
# 4294967295 is -1 to setresuid/setresgid/setgroups ("unchanged"): the process kept uid 0.
# runc refuses every id above 2147483647 ("uids and gids must be in range 0-2147483647").

@test "bad input: process.user ids above 2147483647 are refused naming the field (as runc)" {
  set_args /bin/id
  local edit ptr
  while IFS='|' read -r ptr edit; do
    cp "$BUNDLE/config.json" "$TEST_TMP/orig.json"
    cfg "$edit"
    run rt run -b "$BUNDLE" "$CID" </dev/null
    [ "$status" -eq 1 ] || fail "$edit: exit $status: $output"
    echo "# $RUNTIME_NAME said: $output" >&3
    error_mentions 'range'
    [ "$RUNTIME_NAME" != hull ] || error_mentions "config.json: $ptr: [0-9]+ is out of range"
    [[ "$output" != *"uid="* ]] || fail "the process ran: $output"
    assert_nothing_left "$CID"
    if have_runc_reference; then
      run ref run -b "$BUNDLE" "$RUNC_CID" </dev/null
      [ "$status" -ne 0 ] || fail "runc accepted $edit"
      echo "$output" | grep -q 'must be in range 0-2147483647' || fail "runc said: $output"
    fi
    cp "$TEST_TMP/orig.json" "$BUNDLE/config.json"
  done <<'CASES'
/process/user/uid|.process.user.uid = 4294967295 | .process.user.gid = 4294967295
/process/user/gid|.process.user.uid = 1000 | .process.user.gid = 4294967295
/process/user/uid|.process.user.uid = 2147483648
/process/user/additionalGids/1|.process.user.additionalGids = [10, 4294967295]
CASES
}

@test "bad input: device and id-mapping ids that wrap are refused naming the field" {
  cfg '.linux.devices = [{path: "/dev/zero2", type: "c", major: 1, minor: 5, uid: 4294967295, gid: 0}]'
  expect_create_failure
  [ "$RUNTIME_NAME" != hull ] || error_mentions 'config.json: /linux/devices/0/uid: 4294967295 is out of range'
  assert_nothing_left "$CID"
  cfg 'del(.linux.devices) | .linux.namespaces += [{type: "user"}]
    | .linux.uidMappings = [{containerID: 0, hostID: 4294967000, size: 1000}]
    | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
  expect_create_failure
  [ "$RUNTIME_NAME" != hull ] ||
    error_mentions 'config.json: /linux/uidMappings/0: hostID 4294967000 \+ size 1000 runs past'
  assert_nothing_left "$CID"
}

@test "bad input: exec -u, --additional-gids and --process with ids above 2147483647 are refused (as runc)" {
  start_sleepers
  local u
  for u in 4294967295:4294967295 0:4294967295 2147483648 -1; do
    run rt exec -u "$u" "$CID" /bin/id
    [ "$status" -ne 0 ] || fail "exec -u $u ran: $output"
    [[ "$output" != *"uid=0"* ]] || fail "exec -u $u ran as root: $output"
    refused_by_both "--user: invalid value \"${u##*:}\"|--user: invalid value \"${u%%:*}\"" exec -u "$u" ID /bin/id
  done
  refused_by_both '--additional-gids: invalid value "4294967295": out of range' \
    exec --additional-gids 4294967295 ID /bin/id
  refused_by_both '--additional-gids: invalid value "2147483648": out of range' \
    exec --additional-gids 2147483648 ID /bin/id
  jq '.process | .user.uid = 4294967295 | .args = ["/bin/id"]' "$BUNDLE/config.json" >"$TEST_TMP/p.json"
  refused_by_both "$TEST_TMP/p.json: /user/uid: 4294967295 is out of range" exec --process "$TEST_TMP/p.json" ID
  # the boundary itself is an id like any other
  run rt exec -u 2147483647:2147483647 "$CID" /bin/id
  [ "$status" -eq 0 ]
  [[ "$output" == "uid=2147483647 gid=2147483647"* ]] || fail "$output"
  # no exec process was left behind by the refusals
  [ "$(rt ps "$CID" | wc -l)" -eq 2 ] || fail "processes left: $(rt ps "$CID")"
}

# --- NUL in strings (issue 16 item 8) -----------------------------------------------------
# An escaped \u0000 was cut short at the C boundary: root.path "rootfs\u0000/../../../"
# became "rootfs". Every string is refused naming its JSON pointer.

@test "bad input: a NUL in root.path, hostname, a mount destination, env, args or an annotation is refused" {
  set_args /bin/hostname
  local edit ptr
  while IFS='|' read -r ptr edit; do
    cp "$BUNDLE/config.json" "$TEST_TMP/orig.json"
    cfg "$edit"
    expect_create_failure
    [ "$RUNTIME_NAME" != hull ] || error_mentions "config.json: $ptr: .*NUL"
    assert_nothing_left "$CID"
    cp "$TEST_TMP/orig.json" "$BUNDLE/config.json"
  done <<'CASES'
/root/path|.root.path = "rootfs\u0000/../../../"
/hostname|.hostname = "ab\u0000cd"
/mounts/0/destination|.mounts[0].destination = "/proc\u0000/../etc"
/mounts/1/options/0|.mounts[1].options[0] = "nosuid\u0000"
/process/env/0|.process.env[0] = "PATH=/bin\u0000:/x"
/process/args/0|.process.args[0] = "/bin/hostname\u0000x"
/process/cwd|.process.cwd = "/tmp\u0000x"
/linux/sysctl/kernel.domainname|.linux.sysctl = {"kernel.domainname": "a\u0000b"}
/annotations|.annotations = {"a\u0000b": "c"}
CASES
}

@test "bad input: a NUL in exec --process and update -r input is refused naming the pointer" {
  start_sleepers
  jq '.process | .env += ["X=a\u0000b"] | .args = ["/bin/true"]' "$BUNDLE/config.json" >"$TEST_TMP/p.json"
  refused_by_both "$TEST_TMP/p.json: /env/[0-9]+: .*NUL" exec --process "$TEST_TMP/p.json" ID
  printf '{"unified": {"pids.max\\u0000": "5"}}' >"$TEST_TMP/r.json"
  run rt update -r "$TEST_TMP/r.json" "$CID"
  [ "$status" -eq 1 ]
  [ "$RUNTIME_NAME" != hull ] || error_mentions "$TEST_TMP/r.json: /unified: a member name holds a NUL"
}

# --- Numbers (issue 16 item 9) --------------------------------------------------------------

@test "rlimits: RLIMIT_NOFILE 0 reaches the process (runc fails naming nothing); exec gets it too" {
  cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 0, hard: 0}]'
  set_args /bin/sh -c 'ulimit -Sn; ulimit -Hn'
  run rt run -b "$BUNDLE" "$CID" </dev/null
  echo "# $RUNTIME_NAME: $status ${output//$'\n'/ }" >&3
  [ "$status" -eq 0 ]
  [ "$output" = "0
0" ]
  if have_runc_reference; then
    run ref run -b "$BUNDLE" "$RUNC_CID" </dev/null
    echo "# runc: $status ${output//$'\n'/ }" >&3
  fi
  cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: 3, hard: 1024}]'
  set_args /bin/sleep 1000
  rt run -d -b "$BUNDLE" "$CID-x" </dev/null >/dev/null 2>&1
  run rt exec "$CID-x" /bin/sh -c 'ulimit -Sn; ulimit -Hn'
  [ "$status" -eq 0 ]
  [ "$output" = "3
1024" ]
}

@test "rlimits: an RLIMIT_NOFILE the kernel refuses names the rlimit" {
  # above fs.nr_open: setrlimit answers EPERM
  local nr_open
  nr_open=$(cat /proc/sys/fs/nr_open)
  cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: ($n + 1), hard: ($n + 1)}]' --argjson n "$nr_open"
  expect_create_failure
  [ "$RUNTIME_NAME" != hull ] || error_mentions '/process/rlimits/0: setting RLIMIT_NOFILE'
  assert_nothing_left "$CID"
}

@test "usage errors: unknown flags, missing arguments and bad values exit 1 as runc's do" {
  local args
  while read -r args; do
    run rt $args </dev/null
    [ "$status" -eq 1 ] || fail "'$args' exited $status: $output"
    if have_runc_reference; then
      run ref $args </dev/null
      [ "$status" -eq 1 ] || fail "runc '$args' exited $status"
    fi
  done <<'CASES'
--bogus-flag list
create
exec
kill
state
delete
pause
list --format
update --memory
events --interval
exec --bogus-flag x true
CASES
  run rt --help
  [ "$status" -eq 0 ]
  run rt --version
  [ "$status" -eq 0 ]
}
