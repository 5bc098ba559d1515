#!/usr/bin/env bats
# The cgroup suite. A minimal cgroup per container: made from cgroupsPath (or a default naming
# the id), holding the init's pid in every v1 controller, and gone after delete; then the
# resources, pause/resume, update, events, ps, kill --all and delete, end to end on the host's
# layout: hybrid v1 here, pure v2 in the guest of the v2 suite (conformance/v2). Values are
# checked in the host's cgroup files (v2: converted as runc converts them) and, where a limit
# shows, from inside the container. Cases tagged v2-guest are the ones the v2 guest runs.

load lib/common
load lib/cgroups

setup() {
  common_setup
  set_args /probe --quiet --sleep 1000
  cp "$BUNDLE/config.json" "$TEST_TMP/config.base.json"
}
teardown() {
  kill_others
  common_teardown
}

# the v1 controllers mounted on this host (none on a pure cgroup2 host)
v1_controllers() {
  awk '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++)
         if (o[i] ~ /^(cpu|cpuacct|cpuset|memory|devices|freezer|blkio|pids|net_cls|net_prio|hugetlb|perf_event|rdma|misc)$/) print $2 }' \
    /proc/self/mounts | sort -u
}

# bats test_tags=v2-guest
@test "cgroups: init is in <controller>/<cgroupsPath> for every controller, removed on delete" {
  local path=/hull-conf-$CID
  cfg '.linux.cgroupsPath = $p' --arg p "$path"
  local dirs=()
  if is_v2; then
    dirs=(/sys/fs/cgroup$path)
  else
    local c
    for c in $(v1_controllers); do dirs+=("$c$path"); done
  fi
  [ "${#dirs[@]}" -gt 0 ] || skip "no cgroup controllers mounted"
  for d in "${dirs[@]}"; do remember_cgroup "$d"; done
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/create.out" 2>&1 || fail "create: $(cat "$TEST_TMP/create.out")"
  local pid d
  pid=$(rt state "$CID" | jq -r .pid)
  for d in "${dirs[@]}"; do
    [ -d "$d" ] || fail "no cgroup $d"
    grep -qx "$pid" "$d/cgroup.procs" || fail "pid $pid not in $d/cgroup.procs"
  done
  rt kill "$CID" KILL
  wait_status "$CID" stopped
  rt delete "$CID"
  for d in "${dirs[@]}"; do [ ! -e "$d" ] || fail "cgroup $d left after delete"; done
}

# bats test_tags=v2-guest
@test "cgroups: the init and an exec'd process join every hierarchy themselves, the hybrid cgroup2 one included" {
  # create's init and exec's child move themselves in (v1: 0 into tasks; cgroup2: clone3's
  # CLONE_INTO_CGROUP); a hierarchy either of them missed shows here
  local path=/hull-conf-join-$CID
  cfg '.linux.cgroupsPath = $p' --arg p "$path"
  local dirs=() c
  if is_v2; then
    dirs=(/sys/fs/cgroup$path)
  else
    for c in $(v1_controllers); do dirs+=("$c$path"); done
    if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
      dirs+=("/sys/fs/cgroup/unified$path")
    fi
  fi
  [ "${#dirs[@]}" -gt 0 ] || skip "no cgroup hierarchies mounted"
  for c in "${dirs[@]}"; do remember_cgroup "$c"; done
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/create.out" 2>&1 || fail "create: $(cat "$TEST_TMP/create.out")"
  rt exec -d --pid-file "$TEST_TMP/exec.pid" "$CID" /probe --quiet --sleep 1000 \
    >"$TEST_TMP/exec.out" 2>&1 || fail "exec: $(cat "$TEST_TMP/exec.out")"
  local init exec_pid
  init=$(rt state "$CID" | jq -r .pid)
  exec_pid=$(cat "$TEST_TMP/exec.pid")
  for c in "${dirs[@]}"; do
    grep -qx "$init" "$c/cgroup.procs" || fail "init $init not in $c/cgroup.procs"
    grep -qx "$exec_pid" "$c/cgroup.procs" || fail "exec'd $exec_pid not in $c/cgroup.procs"
  done
  rt delete -f "$CID"
  for c in "${dirs[@]}"; do [ ! -e "$c" ] || fail "cgroup $c left after delete"; done
}

# bats test_tags=v2-guest
@test "cgroups: without cgroupsPath the container still gets its own cgroup" {
  cfg 'del(.linux.cgroupsPath)'
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/create.out" 2>&1 || fail "create: $(cat "$TEST_TMP/create.out")"
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  # every hierarchy line differs from ours and the container's own cgroups exist
  local mine theirs
  mine=$(sed 's/^[0-9]*://' /proc/self/cgroup | grep -v '^name=' | sort)
  theirs=$(sed 's/^[0-9]*://' "/proc/$pid/cgroup" | grep -v '^name=' | sort)
  [ "$mine" != "$theirs" ]
  [ -n "$(cgroups_mentioning "$CID")" ] || fail "no cgroup dir named for $CID"
  rt kill "$CID" KILL
  wait_status "$CID" stopped
  rt delete "$CID"
  [ -z "$(cgroups_mentioning "$CID")" ] || fail "cgroups left: $(cgroups_mentioning "$CID")"
}

# bats test_tags=v2-guest
@test "cgroups: a relative cgroupsPath is nested, and the probe sees its cgroup" {
  local path=$CID-rel/inner
  cfg '.linux.cgroupsPath = $p' --arg p "$path"
  set_args /probe
  run_probe
  [ "$PROBE_RC" = 0 ]
  pj '.cgroup[]' | grep -q "$CID-rel/inner" || fail "probe cgroups: $(pj '.cgroup | join(" ")')"
}

# crun's global --cgroup-manager (podman passes `disabled` with runtime_supports_nocgroup).
@test "cgroups: --cgroup-manager cgroupfs is the default: the cgroup named by cgroupsPath is made" {
  cfg '.linux.cgroupsPath = $p' --arg p "/hull-conf-$CID"
  rt --cgroup-manager cgroupfs create -b "$BUNDLE" "$CID"
  [ -n "$(cgroups_mentioning "hull-conf-$CID")" ] || fail "no cgroup /hull-conf-$CID"
  rt delete -f "$CID"
  [ -z "$(cgroups_mentioning "$CID")" ] || fail "cgroups left: $(cgroups_mentioning "$CID")"
}

# The driver itself runs in the systemd guest (conformance/systemd); here there is no systemd.
@test "cgroups: --systemd-cgroup without systemd fails naming it and leaves nothing (runc fails too)" {
  [ ! -d /run/systemd/system ] || skip "systemd runs on this host: conformance/systemd covers the driver"
  cfg '.linux.cgroupsPath = $p' --arg p "system.slice:hullconf:$CID"
  snapshot_mounts
  local flag
  for flag in --systemd-cgroup "--cgroup-manager systemd"; do
    # shellcheck disable=SC2086
    run rt $flag create -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ] || fail "$flag create succeeded without systemd"
    [[ "$output" == *"--systemd-cgroup: systemd is not running on this host (no /run/systemd/system)"* ]] ||
      fail "$flag: $output"
    assert_nothing_left "$CID"
    [ -z "$(cgroups_mentioning "hullconf")" ] || fail "cgroups left: $(cgroups_mentioning hullconf)"
  done
  if have_runc_reference; then
    run ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID"
    [ "$status" -ne 0 ] || fail "runc --systemd-cgroup create succeeded here"
    [[ "$output" == *"systemd not running on this host"* ]] || fail "runc: $output"
  fi
}

# bats test_tags=v2-guest
@test "cgroups: --cgroup-manager disabled makes and joins no cgroup and ignores resources, as crun" {
  cfg '.linux.cgroupsPath = $p | .linux.resources.memory = {limit: 33554432} | .linux.resources.pids = {limit: 20}' \
    --arg p "/hull-conf-$CID"
  rt --cgroup-manager disabled create -b "$BUNDLE" "$CID"
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  # the init stays in the cgroups of the caller (this shell), on every hierarchy
  [ "$(cat "/proc/$pid/cgroup")" = "$(cat /proc/$$/cgroup)" ] ||
    fail "init in $(cat "/proc/$pid/cgroup"); caller in $(cat /proc/$$/cgroup)"
  [ -z "$(cgroups_mentioning "$CID")" ] || fail "cgroups made: $(cgroups_mentioning "$CID")"
  rt start "$CID"
  run rt exec "$CID" /probe --quiet
  echo "exec: $output"
  [ "$status" -eq 0 ]
  # what needs a cgroup says there is none, naming the flag
  run rt update --pids-limit 10 "$CID"
  echo "update: $output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"--cgroup-manager disabled"* ]]
  run rt pause "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"--cgroup-manager disabled"* ]]
  run rt exec --cgroup sub "$CID" true
  [ "$status" -ne 0 ]
  [[ "$output" == *"--cgroup"*"--cgroup-manager disabled"* ]]
  rt kill --all "$CID" KILL
  wait_status "$CID" stopped
  rt delete "$CID"
  [ -z "$(cgroups_mentioning "$CID")" ]
  [ ! -e "$ROOT_DIR/$CID" ]
}

@test "cgroups: --cgroup-manager with another value is refused naming the flag; nothing is made" {
  run rt --cgroup-manager nonesuch create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *'--cgroup-manager: expected cgroupfs, systemd or disabled, got "nonesuch"'* ]]
  assert_nothing_left "$CID"
}

# nested_cgroups_bundle FREEZE: a container with a writable cgroup mount that makes a/b in
# several hierarchies, moves a sleeper into them, freezes a/ in the freezer when FREEZE is 1,
# then touches /tmp/ready (as systemd or dockerd inside a container would make cgroups)
nested_cgroups_bundle() {
  cfg '.root.readonly = false |
       .mounts |= map(if .type == "cgroup" then .options = ["nosuid", "noexec", "nodev", "rw"] else . end)'
  set_shell "for c in pids memory freezer cpu; do mkdir -p /sys/fs/cgroup/\$c/a/b || exit 1; done
    sleep 1000 & p=\$!
    for c in pids memory cpu; do echo \$p > /sys/fs/cgroup/\$c/a/b/cgroup.procs || exit 1; done
    echo \$p > /sys/fs/cgroup/freezer/a/cgroup.procs || exit 1
    [ $1 = 0 ] || echo FROZEN > /sys/fs/cgroup/freezer/a/freezer.state || exit 1
    touch /tmp/ready; wait"
}

# run_nested RUNNER ID: runs it detached until it reports ready
run_nested() {
  local runner=$1 id=$2
  rm -f "$BUNDLE/rootfs/tmp/ready"
  cfg '.linux.cgroupsPath = $p' --arg p "/hull-conf-$id"
  "$runner" run -d -b "$BUNDLE" "$id" </dev/null >"$TEST_TMP/run.out" 2>&1 ||
    fail "run -d $id: $(cat "$TEST_TMP/run.out")"
  while [ ! -e "$BUNDLE/rootfs/tmp/ready" ]; do
    [ "$("$runner" state "$id" | jq -r .status)" = running ] || fail "$id stopped before it was ready"
    sleep 0.02
  done
  [ -d "/sys/fs/cgroup/pids/hull-conf-$id/a/b" ] || fail "no child cgroup made by $id"
}

@test "cgroups: delete --force removes the child cgroups a container made (as runc)" {
  [ -d /sys/fs/cgroup/freezer ] || skip "needs the v1 freezer and pids hierarchies"
  nested_cgroups_bundle 0
  local runner id
  for runner in rt ref; do
    [ "$runner" = ref ] && ! have_runc_reference && continue
    id=$CID
    [ "$runner" = ref ] && id=$RUNC_CID
    run_nested "$runner" "$id"
    "$runner" delete --force "$id" || fail "$runner delete --force failed"
    [ -z "$(cgroups_mentioning "$id")" ] || fail "$runner left: $(cgroups_mentioning "$id")"
    ! "$runner" state "$id" 2>/dev/null || fail "$runner kept the state of $id"
  done
}

@test "cgroups: delete --force thaws and removes a child cgroup the container froze" {
  # runc 1.1.5 gives up after 10 s with "container init still running" and keeps a stopped
  # container whose cgroups stay (its pid-namespace init waits for the frozen sleeper)
  [ -d /sys/fs/cgroup/freezer ] || skip "needs the v1 freezer and pids hierarchies"
  nested_cgroups_bundle 1
  run_nested rt "$CID"
  [ "$(cat "/sys/fs/cgroup/freezer/hull-conf-$CID/a/freezer.state")" = FROZEN ]
  rt delete --force "$CID" || fail "delete --force failed"
  [ -z "$(cgroups_mentioning "$CID")" ] || fail "left: $(cgroups_mentioning "$CID")"
  ! rt state "$CID" 2>/dev/null || fail "state of $CID kept"
}

@test "cgroups: delete of a stopped container with empty child cgroups removes them (as runc)" {
  [ -d /sys/fs/cgroup/pids ] || skip "needs the v1 pids hierarchy"
  cfg '.mounts |= map(if .type == "cgroup" then .options = ["nosuid", "noexec", "nodev", "rw"] else . end)'
  set_shell 'for c in pids memory cpu; do mkdir -p /sys/fs/cgroup/$c/x/y || exit 1; done'
  local runner id
  for runner in rt ref; do
    [ "$runner" = ref ] && ! have_runc_reference && continue
    id=$CID
    [ "$runner" = ref ] && id=$RUNC_CID
    cfg '.linux.cgroupsPath = $p' --arg p "/hull-conf-$id"
    "$runner" create -b "$BUNDLE" "$id" </dev/null >"$TEST_TMP/create.out" 2>&1 ||
      fail "$runner create: $(cat "$TEST_TMP/create.out")"
    "$runner" start "$id"
    while [ "$("$runner" state "$id" | jq -r .status)" != stopped ]; do sleep 0.02; done
    [ -d "/sys/fs/cgroup/pids/hull-conf-$id/x/y" ] || fail "$runner: the container made no child cgroup"
    "$runner" delete "$id" || fail "$runner delete failed"
    [ -z "$(cgroups_mentioning "$id")" ] || fail "$runner left: $(cgroups_mentioning "$id")"
  done
}

# frozen_cgroup NAME: a v1 freezer cgroup, frozen, undone in teardown
frozen_cgroup() {
  local d=/sys/fs/cgroup/freezer/$1
  mkdir -p "$d"
  remember_cgroup "$d"
  echo FROZEN >"$d/freezer.state"
}

@test "cgroups: create or run -d into a frozen cgroup fails at once naming it; nothing left" {
  [ -d /sys/fs/cgroup/freezer ] || skip "needs the v1 freezer"
  local frz=hull-frz-$$-$BATS_TEST_NUMBER
  frozen_cgroup "$frz"
  cfg '.linux.cgroupsPath = $p' --arg p "/$frz"
  local cmd
  for cmd in create "run -d"; do
    run rt $cmd -b "$BUNDLE" "$CID"
    [ "$status" -ne 0 ] || fail "$cmd into a frozen cgroup succeeded"
    [[ "$output" == *"/sys/fs/cgroup/freezer/$frz is frozen"* ]] || fail "message: $output"
    assert_nothing_left "$CID"
  done
  # only the frozen dir itself, made by the test, exists; it stays frozen
  [ "$(find /sys/fs/cgroup -maxdepth 2 -name "$frz" | wc -l)" = 1 ]
  [ "$(cat "/sys/fs/cgroup/freezer/$frz/freezer.state")" = FROZEN ]
  if have_runc_reference; then
    run ref create -b "$BUNDLE" "$RUNC_CID"
    [ "$status" -ne 0 ]
    [[ "$output" == *"unexpectedly frozen"* ]]
  fi
}

@test "cgroups: a new cgroup under a frozen parent is refused too; the child dirs are removed" {
  # runc 1.1.5 blocks for ever here (and ignores SIGTERM): it only checks the leaf's own state
  # before making it
  [ -d /sys/fs/cgroup/freezer ] || skip "needs the v1 freezer"
  local frz=hull-frz-$$-$BATS_TEST_NUMBER
  frozen_cgroup "$frz"
  cfg '.linux.cgroupsPath = $p' --arg p "/$frz/$CID"
  run rt run -d -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/sys/fs/cgroup/freezer/$frz/$CID is frozen"*"parent"* ]] || fail "message: $output"
  assert_nothing_left "$CID"
  # the parents made on the other hierarchies on the way go too
  [ "$(find /sys/fs/cgroup -maxdepth 2 -name "$frz" | wc -l)" = 1 ] ||
    fail "left: $(find /sys/fs/cgroup -maxdepth 2 -name "$frz")"
}

@test "cgroups: SIGTERM or SIGINT to a create blocked on its init fails it; nothing left" {
  # runc 1.1.5 ignores SIGTERM while it waits and stays blocked: hull turns the signal into an
  # error so that what the create made is undone
  cfg '.hooks.createContainer = [{path: "/bin/sh", args: ["sh", "-c", "touch \($m); exec sleep 1000"]}]' \
    --arg m "$TEST_TMP/hooked"
  local cmd sig pid
  for cmd in "create:TERM" "run -d:INT"; do
    sig=${cmd#*:}
    rm -f "$TEST_TMP/hooked"
    # the runtime itself in the background (not the rt function's subshell), with SIGINT at
    # its default (a background job of a script starts with it ignored)
    env --default-signal=INT "$RUNTIME" --root "$ROOT_DIR" ${cmd%:*} -b "$BUNDLE" "$CID" \
      </dev/null >"$TEST_TMP/create.out" 2>&1 &
    pid=$!
    while [ ! -e "$TEST_TMP/hooked" ]; do
      kill -0 "$pid" 2>/dev/null || fail "${cmd%:*} ended before the hook ran: $(cat "$TEST_TMP/create.out")"
      sleep 0.02
    done
    kill -"$sig" "$pid"
    local rc=0
    wait "$pid" || rc=$?
    [ "$rc" = 1 ] || fail "${cmd%:*} exited $rc after SIG$sig: $(cat "$TEST_TMP/create.out")"
    grep -q "interrupted by SIG$sig while waiting for the container init" "$TEST_TMP/create.out" ||
      fail "message: $(cat "$TEST_TMP/create.out")"
    assert_nothing_left "$CID"
  done
}

# A process of the test's own, in cgroup PATH on every hierarchy (made here); its pid in $OTHER.
other_process_in() {
  local path=$1 h
  setsid sleep 1000 </dev/null >/dev/null 2>&1 3>&- &
  OTHER=$!
  echo "$OTHER" >>"$TEST_TMP/others"
  for h in /sys/fs/cgroup/*/ /sys/fs/cgroup; do
    [ -f "$h/cgroup.procs" ] || continue
    mkdir -p "$h$path" && remember_cgroup "${h%/}$path"
    # cpuset needs its cpus and mems before it takes a task: left out where they are empty
    echo "$OTHER" >"${h%/}$path/cgroup.procs" 2>/dev/null || true
  done
  grep -q "$path" "/proc/$OTHER/cgroup"
}
kill_others() {
  local p
  for p in $(cat "$TEST_TMP/others" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
}

@test "cgroups: a cgroup already holding others' processes: create warns as runc, delete -f leaves them alive (as runc)" {
  local path=/hull-conf-$CID-shared
  other_process_in "$path"
  cfg '.linux.cgroupsPath = $p' --arg p "$path"
  rt create -b "$BUNDLE" "$CID" 2>"$TEST_TMP/create.err" >/dev/null 3>&- || {
    kill_others
    fail "create: $(cat "$TEST_TMP/create.err")"
  }
  cat "$TEST_TMP/create.err"
  grep -q "container's cgroup is not empty: 1 process(es) found" "$TEST_TMP/create.err"
  rt start "$CID"
  # ps lists every process of the cgroup, the other one too (as runc)
  rt ps "$CID" | grep -qw "$OTHER"
  run rt delete --force "$CID"
  echo "delete: $status $output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"not the container's"* ]]
  kill -0 "$OTHER" || fail "delete --force killed a process that was not the container's"
  ! rt state "$CID" 2>/dev/null
  if have_runc_reference; then
    ref create -b "$BUNDLE" "$RUNC_CID" 2>"$TEST_TMP/runc.err" >/dev/null 3>&-
    grep -q "container's cgroup is not empty: 1 process(es) found" "$TEST_TMP/runc.err"
    ref start "$RUNC_CID"
    ref delete --force "$RUNC_CID" 2>/dev/null
    kill -0 "$OTHER" || fail "runc killed it (the reference changed)"
  fi
  kill_others
}

# hull::warn writes to --log in its format, and then nothing to stderr (stderr is the
# container's stdio during create); runc's logrus does the same.
@test "cgroups: with --log, the not-empty warning of create and the not-removed one of delete go to the log (text, json), not to stderr (as runc)" {
  local path=/hull-conf-$CID-logged fmt log
  other_process_in "$path"
  cfg '.linux.cgroupsPath = $p' --arg p "$path"
  for fmt in text json; do
    log=$TEST_TMP/hull.$fmt
    rt --log "$log" --log-format "$fmt" create -b "$BUNDLE" "$CID-$fmt" \
      >"$TEST_TMP/out" 2>"$TEST_TMP/err" 3>&- || fail "create ($fmt): $(cat "$TEST_TMP/err")"
    rt --log "$log" --log-format "$fmt" delete -f "$CID-$fmt" >>"$TEST_TMP/out" 2>>"$TEST_TMP/err" ||
      fail "delete ($fmt): $(cat "$TEST_TMP/err")"
    [ ! -s "$TEST_TMP/out" ] || fail "stdout ($fmt): $(cat "$TEST_TMP/out")"
    [ ! -s "$TEST_TMP/err" ] || fail "stderr ($fmt): $(cat "$TEST_TMP/err")"
    cat "$log"
    if [ "$fmt" = json ]; then
      jq -e -s 'all(.[]; has("level") and has("msg") and has("time"))' "$log"
      jq -e -s 'any(.[]; .level == "warning" and (.msg | contains("cgroup is not empty: 1 process(es) found")))' "$log"
      jq -e -s 'any(.[]; .level == "warning" and (.msg | contains("not removed")))' "$log"
    else
      grep -E '^time="[0-9T:.-]+Z" level=warning msg="container.s cgroup is not empty: 1 process\(es\) found"$' "$log"
      grep -E '^time="[0-9T:.-]+Z" level=warning msg=".*not removed.*"$' "$log"
    fi
    ! rt state "$CID-$fmt" 2>/dev/null || fail "$CID-$fmt left behind"
    kill -0 "$OTHER" || fail "delete -f killed a process that was not the container's"
  done
  if have_runc_reference; then
    log=$TEST_TMP/runc.json
    ref --log "$log" --log-format json create -b "$BUNDLE" "$RUNC_CID" >"$TEST_TMP/out" 2>"$TEST_TMP/err" 3>&-
    cat "$log"
    [ ! -s "$TEST_TMP/err" ] || fail "runc wrote to stderr (the reference changed): $(cat "$TEST_TMP/err")"
    jq -e -s 'any(.[]; .level == "warning" and (.msg | contains("cgroup is not empty: 1 process(es) found")))' "$log"
    ref delete --force "$RUNC_CID" 2>/dev/null
  fi
}

@test "cgroups: cgroupsPath / is refused naming the field, before anything is made or killed" {
  cfg '.linux.cgroupsPath = "/"'
  run rt create -b "$BUNDLE" "$CID"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/cgroupsPath"* ]]
  [[ "$output" == *"root of its cgroup hierarchy"* ]]
  assert_nothing_left "$CID"
  [ -z "$(ls -A "$ROOT_DIR" 2>/dev/null)" ]
}

@test "cgroups: a cgroupsPath naming the caller's own cgroup is refused naming the field" {
  local own
  own=$(awk -F: '$3 != "/" { print $3; exit }' /proc/self/cgroup)
  [ -n "$own" ] || skip "the test runs in the root cgroup of every hierarchy"
  cfg '.linux.cgroupsPath = $p' --arg p "$own"
  run rt create -b "$BUNDLE" "$CID"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/cgroupsPath"* ]]
  [[ "$output" == *"cgroup of the runtime's caller"* ]]
  [ -z "$(ls -A "$ROOT_DIR" 2>/dev/null)" ]
}

# cg_bundle ARGS_JSON [JQ_FILTER]: $BUNDLE's config back to the suite's base, with these
# process args, a writable root, and the filter applied
cg_bundle() {
  cp "$TEST_TMP/config.base.json" "$BUNDLE/config.json"
  cfg ".process.args = \$args | .root.readonly = false | ${2:-.}" --argjson args "$1"
}

start_sleeper() {  # start_sleeper [JQ_FILTER]
  cg_bundle '["sleep","1000"]' "$(cgpath "$CID") | ${1:-.}"
  rt create -b "$BUNDLE" "$CID"
  rt start "$CID"
}

# Whether this v1 host's blkio controller has a weight file (BFQ's, or CFQ's on old kernels):
# a kernel built without BFQ has throttles only. Asked of a fresh cgroup, as BFQ's files are not
# on the root.
v1_blkio_weight() {
  local probe="$CG/blkio/hull-weight-probe-$$" rc=1
  mkdir "$probe" || return 1
  if [ -e "$probe/blkio.bfq.weight" ] || [ -e "$probe/blkio.weight" ]; then rc=0; fi
  rmdir "$probe"
  return $rc
}

# try_create: a create expected to fail. Output goes through a file, so a create that
# wrongly succeeds (its init holding the pipe) cannot hang the test; sets status and output.
try_create() {
  status=0
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/create.out" 2>&1 </dev/null || status=$?
  output=$(cat "$TEST_TMP/create.out")
  echo "$output"
}

# bats test_tags=v2-guest
@test "cgroups: memory: limit, reservation and swap land in the files; a hog is OOM-killed" {
  cg_bundle '["sh","-c","dd if=/dev/zero of=/dev/null bs=64M count=1 && echo survived; sleep 1000"]' \
    "$(cgpath "$CID") | .linux.resources.memory={limit:16777216,reservation:8388608,swap:16777216}"
  rt create -b "$BUNDLE" "$CID"
  if is_v2; then
    # swap is memory+swap in the spec, swap alone on v2; the reservation is memory.low
    expect_cg "$CID" "memory memory.max 16777216" "memory memory.low 8388608" \
      "memory memory.swap.max 0"
  else
    expect_cg "$CID" "memory memory.limit_in_bytes 16777216" \
      "memory memory.soft_limit_in_bytes 8388608" "memory memory.memsw.limit_in_bytes 16777216"
  fi
  rt start "$CID"
  if is_v2; then
    wait_for grep -q "oom_kill [1-9]" "$CG/$CID/memory.events"
  else
    wait_for grep -q "oom_kill [1-9]" "$CG/memory/$CID/memory.oom_control"
  fi
  dd_gone() { ! rt ps "$CID" | grep -q "dd if"; }
  wait_for dd_gone
  [ "$(rt state "$CID" | jq -r .status)" = running ]  # only the hog died
}

# bats test_tags=v2-guest
@test "cgroups: pids: the limit makes fork fail inside" {
  cg_bundle '["sh","-c","for i in 1 2 3 4 5 6 7 8; do sleep 100 & done; wait"]' \
    "$(cgpath "$CID") | .linux.resources.pids={limit:4}"
  run rt run -b "$BUNDLE" "$CID"
  [[ "$output" == *"can't fork"* ]]
}

# bats test_tags=v2-guest
@test "cgroups: pids: the file holds the limit, and -1 is max" {
  start_sleeper '.linux.resources.pids={limit:7}'
  [ "$(cgfile pids "$CID" pids.max)" = 7 ]
  rt update --pids-limit -1 "$CID"
  [ "$(cgfile pids "$CID" pids.max)" = max ]
}

# bats test_tags=v2-guest
@test "cgroups: cpuset: cpus limit nproc inside" {
  is_v2 && ! v2_has cpuset && skip "no cpuset controller (the v2 suite asserts the error)"
  cg_bundle '["nproc"]' "$(cgpath "$CID") | .linux.resources.cpu={cpus:\"0\",mems:\"0\"}"
  run rt run -b "$BUNDLE" "$CID"
  [ "$status" -eq 0 ]
  [ "$output" = 1 ]
}

# bats test_tags=v2-guest
@test "cgroups: cpu: shares, quota, period and burst land in the files" {
  start_sleeper '.linux.resources.cpu={shares:512,quota:20000,period:50000,burst:1000}'
  if is_v2; then
    # weight = 1 + (shares - 2) * 9999 / 262142, as runc
    expect_cg "$CID" "cpu cpu.weight 20" "cpu cpu.max 20000 50000" "cpu cpu.max.burst 1000"
  else
    expect_cg "$CID" "cpu cpu.shares 512" "cpu cpu.cfs_quota_us 20000" \
      "cpu cpu.cfs_period_us 50000" "cpu cpu.cfs_burst_us 1000"
  fi
}

# bats test_tags=v2-guest
@test "cgroups: blockIO: weight and throttles land in the files" {
  local dev maj min
  dev=$(test_blockdev) || skip "no block device here"
  maj=${dev%:*} min=${dev#*:}
  local throttles="throttleReadBpsDevice:[{major:$maj,minor:$min,rate:1048576}],throttleWriteIOPSDevice:[{major:$maj,minor:$min,rate:50}]"
  if is_v2; then
    # weights: conformance/v2 (the guest's kernel has no io.weight)
    start_sleeper ".linux.resources.blockIO={$throttles}"
    [ "$(cgfile io "$CID" io.max)" = "$dev rbps=1048576 wbps=max riops=max wiops=50" ]
    return
  fi
  if v1_blkio_weight; then
    start_sleeper ".linux.resources.blockIO={weight:300,$throttles}"
    grep -q 300 "$CG/blkio/$CID/blkio.bfq.weight" || grep -q 300 "$CG/blkio/$CID/blkio.weight"
  else
    # No weight file on this kernel: the weight is a clear error, and nothing is left.
    cg_bundle '["true"]' "$(cgpath "$CID") | .linux.resources.blockIO={weight:300}"
    try_create
    [ "$status" -ne 0 ]
    [[ "$output" == *"/linux/resources/blockIO/weight: this host's cgroup has no blkio.bfq.weight"* ]]
    no_cgroup_left "$CID"
    start_sleeper ".linux.resources.blockIO={$throttles}"
  fi
  [ "$(cgfile blkio "$CID" blkio.throttle.read_bps_device)" = "$dev 1048576" ]
  [ "$(cgfile blkio "$CID" blkio.throttle.write_iops_device)" = "$dev 50" ]
}

# bats test_tags=v2-guest
@test "cgroups: devices: the default config allows the standard devices and nothing else" {
  cg_bundle \
    '["sh","-c","echo x > /dev/null && echo null-ok; head -c 1 /dev/urandom >/dev/null && echo urandom-ok; mknod /tmp/disk b 254 0 && echo mknod-ok; head -c 1 /tmp/disk >/dev/null || echo disk-denied"]' \
    "$(cgpath "$CID") | .process.capabilities.bounding += [\"CAP_MKNOD\"] | .process.capabilities.effective += [\"CAP_MKNOD\"] | .process.capabilities.permitted += [\"CAP_MKNOD\"]"
  run rt run -b "$BUNDLE" "$CID"
  echo "$output"
  [[ "$output" == *null-ok* ]]
  [[ "$output" == *urandom-ok* ]]
  [[ "$output" == *mknod-ok* ]]  # mknod is allowed for any node, as runc does
  [[ "$output" == *disk-denied* ]]
  [[ "$output" == *"Operation not permitted"* ]]
}

# bats test_tags=v2-guest
@test "cgroups: devices: the v1 list matches runc's for the default config" {
  is_v2 && skip "v1 only: conformance/v2 compares the eBPF program's verdicts with runc's"
  cg_bundle '["sleep","1000"]' "$(cgpath "$CID")"
  device_list() { sort "$CG/devices/$CID/devices.list"; }
  same_as_runc observe_created device_list
}

# bats test_tags=v2-guest
@test "cgroups: differential: the same resources give the same files as runc" {
  local res='{memory:{limit:33554432,swap:67108864,swappiness:20},cpu:{shares:256,quota:30000,period:100000,cpus:"0"},pids:{limit:12}}'
  local files="memory/memory.limit_in_bytes memory/memory.memsw.limit_in_bytes memory/memory.swappiness cpu/cpu.shares cpu/cpu.cfs_quota_us cpu/cpu.cfs_period_us cpuset/cpuset.cpus pids/pids.max"
  if is_v2; then
    # (no burst: runc 1.1.5 ignores it on v2; hull writes cpu.max.burst, see the cpu case)
    res='{memory:{limit:33554432,swap:67108864,reservation:1048576},cpu:{shares:256,quota:30000,period:100000},pids:{limit:12}}'
    files="memory/memory.max memory/memory.swap.max memory/memory.low cpu/cpu.weight cpu/cpu.max pids/pids.max"
    if v2_has cpuset; then
      res=${res/period:100000/period:100000,cpus:\"0\"}
      files+=" cpuset/cpuset.cpus"
    fi
  fi
  cg_bundle '["sleep","1000"]' "$(cgpath "$CID") | .linux.resources += $res"
  snapshot() {
    local f
    for f in $files; do echo "$f $(cat "$(cgdir "${f%%/*}" "$CID")/${f#*/}")"; done
  }
  same_as_runc observe_created snapshot
}

# bats test_tags=v2-guest
@test "cgroups: update: flags (also after the id) change the files" {
  start_sleeper '.linux.resources.memory={limit:33554432} | .linux.resources.pids={limit:10}'
  if is_v2; then
    local cpuset=()
    v2_has cpuset && cpuset=(--cpuset-cpus 0)
    rt update "$CID" --memory 64m --memory-swap 128m --cpu-share 300 --cpu-quota 25000 \
      --cpu-period 100000 "${cpuset[@]}" --pids-limit 20
    expect_cg "$CID" "memory memory.max 67108864" "memory memory.swap.max 67108864" \
      "cpu cpu.weight 12" "cpu cpu.max 25000 100000" "pids pids.max 20"
    return
  fi
  local weight=() has_weight=0
  if v1_blkio_weight; then
    has_weight=1 weight=(--blkio-weight 200)
  fi
  rt update "$CID" --memory 64m --memory-swap 128m --cpu-share 300 --cpu-quota 25000 \
    --cpu-period 100000 --cpuset-cpus 0 --pids-limit 20 "${weight[@]}"
  expect_cg "$CID" "memory memory.limit_in_bytes 67108864" \
    "memory memory.memsw.limit_in_bytes 134217728" "cpu cpu.shares 300" \
    "cpu cpu.cfs_quota_us 25000" "cpu cpu.cfs_period_us 100000" "cpuset cpuset.cpus 0" \
    "pids pids.max 20"
  if [ "$has_weight" = 1 ]; then
    grep -q 200 "$CG/blkio/$CID/blkio.bfq.weight" || grep -q 200 "$CG/blkio/$CID/blkio.weight"
  else
    # No weight file on this kernel: the flag is a clear error naming the field.
    run rt update "$CID" --blkio-weight 200
    [ "$status" -ne 0 ]
    [[ "$output" == *"/blockIO/weight: this host's cgroup has no blkio.bfq.weight"* ]]
  fi
}

# bats test_tags=v2-guest
@test "cgroups: update --resources -: zeros leave values alone (containerd's documents)" {
  start_sleeper '.linux.resources.memory={limit:33554432} | .linux.resources.pids={limit:10} | .linux.resources.cpu={shares:512}'
  echo '{"memory":{"limit":0,"swap":0},"cpu":{"shares":0,"quota":40000,"period":0},"pids":{"limit":0},"blockIO":{"weight":0}}' |
    rt update --resources - "$CID"
  if is_v2; then
    expect_cg "$CID" "memory memory.max 33554432" "pids pids.max 10" "cpu cpu.weight 20" \
      "cpu cpu.max 40000 100000"
    return
  fi
  expect_cg "$CID" "memory memory.limit_in_bytes 33554432" "pids pids.max 10" \
    "cpu cpu.shares 512" "cpu cpu.cfs_quota_us 40000"
}

# bats test_tags=v2-guest
@test "cgroups: update: a limit below usage, bad sizes and bad documents are errors" {
  start_sleeper
  run rt update "$CID" --memory lots
  [ "$status" -ne 0 ]
  [[ "$output" == *'--memory: invalid value "lots"'* ]]
  if ! is_v2; then  # v2 clamps shares into the weight range, as runc
    run rt update "$CID" --cpu-share 1
    [ "$status" -ne 0 ]
    [[ "$output" == *"cpu/shares: 1 is out of the kernel's range"* ]]
  fi
  run bash -c "echo '{\"memory\":{\"limit\":\"x\"}}' | $RUNTIME --root $ROOT_DIR update -r - $CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"stdin: /memory/limit"* ]]
  run rt update nosuch --memory 1m
  [ "$status" -ne 0 ]
}

# bats test_tags=v2-guest
@test "cgroups: pause freezes a counter loop; resume thaws it" {
  cg_bundle '["sh","-c","i=0; while true; do i=$((i+1)); echo $i > /tmp/c.new; mv /tmp/c.new /tmp/count; done"]' "$(cgpath "$CID")"
  rt create -b "$BUNDLE" "$CID"
  rt start "$CID"
  wait_for test -s "$BUNDLE/rootfs/tmp/count"
  rt pause "$CID"
  [ "$(rt state "$CID" | jq -r .status)" = paused ]
  if is_v2; then
    [ "$(cgfile x "$CID" cgroup.freeze)" = 1 ]
    grep -qx "frozen 1" "$CG/$CID/cgroup.events"
  else
    [ "$(cgfile freezer "$CID" freezer.state)" = FROZEN ]
  fi
  local a b
  a=$(cat "$BUNDLE/rootfs/tmp/count")
  sleep 0.5
  b=$(cat "$BUNDLE/rootfs/tmp/count")
  [ "$a" = "$b" ]
  run rt pause "$CID"
  [ "$status" -ne 0 ]
  rt resume "$CID"
  [ "$(rt state "$CID" | jq -r .status)" = running ]
  sleep 0.5
  b=$(cat "$BUNDLE/rootfs/tmp/count")
  [ "$b" -gt "$a" ]
  run rt resume "$CID"
  [ "$status" -ne 0 ]
}

# bats test_tags=v2-guest
@test "cgroups: delete --force of a paused container removes every cgroup dir" {
  start_sleeper
  rt pause "$CID"
  rt delete --force "$CID"
  no_cgroup_left "$CID"
}

# bats test_tags=v2-guest
@test "cgroups: events --stats: one runc-shaped line whose numbers grow" {
  cg_bundle '["sh","-c","while true; do :; done"]' "$(cgpath "$CID") | .linux.resources.pids={limit:50}"
  rt create -b "$BUNDLE" "$CID"
  rt start "$CID"
  run rt events --stats "$CID"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  [ "$(echo "$output" | jq -r .type)" = stats ]
  [ "$(echo "$output" | jq -r .id)" = "$CID" ]
  [ "$(echo "$output" | jq .data.pids.limit)" = 50 ]
  [ "$(echo "$output" | jq .data.pids.current)" = 1 ]
  [ "$(echo "$output" | jq '.data.memory.usage.usage > 0')" = true ]
  local first second
  first=$(echo "$output" | jq .data.cpu.usage.total)
  sleep 0.5
  second=$(rt events --stats "$CID" | jq .data.cpu.usage.total)
  [ "$second" -gt "$first" ]
}

# bats test_tags=v2-guest
@test "cgroups: events: streams stats at the interval, reports an OOM, ends when the container stops" {
  cg_bundle '["sh","-c","while [ ! -e /tmp/go ]; do sleep 0.1; done; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 1000"]' \
    "$(cgpath "$CID") | .linux.resources.memory={limit:16777216,swap:16777216}"
  rt create -b "$BUNDLE" "$CID"
  rt start "$CID"
  rt events --interval 200ms "$CID" >"$TEST_TMP/events" &
  local events_pid=$!
  two_stats() { [ "$(count_lines '"type":"stats"' "$TEST_TMP/events")" -ge 2 ]; }
  wait_for two_stats
  touch "$BUNDLE/rootfs/tmp/go"
  wait_for grep -q '"type":"oom"' "$TEST_TMP/events"
  rt kill "$CID" KILL
  wait "$events_pid"
  grep -q "{\"type\":\"oom\",\"id\":\"$CID\"}" "$TEST_TMP/events"
}

# bats test_tags=v2-guest
@test "cgroups: events of a stopped or unknown container is an error" {
  cg_bundle '["true"]' "$(cgpath "$CID")"
  rt create -b "$BUNDLE" "$CID"
  rt start "$CID"
  wait_for bash -c "[ \"\$($RUNTIME --root $ROOT_DIR state $CID | jq -r .status)\" = stopped ]"
  run rt events --stats "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"is not running"* ]]
  run rt events nosuch
  [ "$status" -ne 0 ]
}

# bats test_tags=v2-guest
@test "cgroups: ps: json lists the host pids, table filters the host's ps" {
  cg_bundle '["sh","-c","sleep 1001 & sleep 1002 & wait"]' "$(cgpath "$CID")"
  rt create -b "$BUNDLE" "$CID"
  rt start "$CID"
  wait_for bash -c "[ \$($RUNTIME --root $ROOT_DIR ps --format json $CID | jq length) -eq 3 ]"
  local pid
  pid=$(rt state "$CID" | jq .pid)
  rt ps --format json "$CID" | jq -e "index($pid) != null"
  # the table comes from the host's ps, which cannot run in a UML guest (no boot time)
  ps -ef >/dev/null 2>&1 || skip "the host's ps fails here: $(ps -ef 2>&1 | tail -1)"
  run rt ps "$CID"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *PID* ]]
  [ "${#lines[@]}" -eq 4 ]
  [[ "$output" == *"sleep 1001"* ]]
  [[ "$output" == *"sleep 1002"* ]]
  run rt ps "$CID" -o pid,args
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *PID*COMMAND* ]]
  [ "${#lines[@]}" -eq 4 ]
}

# bats test_tags=v2-guest
@test "cgroups: kill --all signals every process; delete removes the cgroup on every controller" {
  cg_bundle '["sh","-c","sleep 1001 & sleep 1002 & wait"]' "$(cgpath "$CID")"
  rt create -b "$BUNDLE" "$CID"
  rt start "$CID"
  wait_for bash -c "[ \$($RUNTIME --root $ROOT_DIR ps --format json $CID | jq length) -eq 3 ]"
  local procs
  procs=$(cgdir pids "$CID")/cgroup.procs
  [ -n "$(cat "$procs")" ]  # cgroup files have no size: read them
  rt kill --all "$CID" KILL
  wait_for bash -c "[ -e $procs ] && [ \"\$(cat $procs)\" = '' ]"
  rt delete "$CID"
  no_cgroup_left "$CID"
}

# bats test_tags=v2-guest
@test "cgroups: bad input: kernel-refused value names the field; nothing is left behind" {
  cg_bundle '["true"]' "$(cgpath "$CID") | .linux.resources.memory={limit:-5}"
  try_create
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/resources/memory/limit: -5 is invalid"* ]]
  no_cgroup_left "$CID"
  [ ! -e "$ROOT_DIR/$CID" ]
}

# bats test_tags=v2-guest
@test "cgroups: bad input: cpus outside the machine name the field; nothing is left behind" {
  cg_bundle '["true"]' "$(cgpath "$CID") | .linux.resources.cpu={cpus:\"0-4095\"}"
  try_create
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/resources/cpu/cpus"* ]]
  no_cgroup_left "$CID"
}

# bats test_tags=v2-guest
@test "cgroups: bad input: malformed values and unknown device types are rejected" {
  cg_bundle '["true"]' "$(cgpath "$CID") | .linux.resources.memory={limit:\"64m\"}"
  try_create
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/memory/limit"* ]]
  cg_bundle '["true"]' "$(cgpath "$CID") | .linux.resources.devices=[{allow:true,type:\"x\",access:\"rwm\"}]"
  try_create
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/devices/0/type"* ]]
  cg_bundle '["true"]' "$(cgpath "$CID") | .linux.resources.pids={limit:-2} | .linux.resources.devices=[{allow:true,type:\"c\",access:\"rwx\"}]"
  try_create
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/devices/0/access"* ]]
  no_cgroup_left "$CID"
}

# bats test_tags=v2-guest
@test "cgroups: bad input: a cgroupsPath escaping the hierarchy with .. is refused" {
  cg_bundle '["true"]' '.linux.cgroupsPath="/../../etc"'
  try_create
  [ "$status" -ne 0 ]
  [[ "$output" == *'cgroupsPath'*'..'* ]]
  [ ! -e "$ROOT_DIR/$CID" ]
}

# bats test_tags=v2-guest
@test "cgroups: missing controllers and v2-only settings are clear errors on v1" {
  is_v2 && skip "v1 only: conformance/v2 asserts the v2 errors"
  [ -d "$CG/hugetlb" ] && skip "hugetlb is mounted here"
  cg_bundle '["true"]' "$(cgpath "$CID") | .linux.resources.hugepageLimits=[{pageSize:\"2MB\",limit:2097152}]"
  try_create
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/hugepageLimits/0: the hugetlb cgroup controller is not mounted"* ]]
  no_cgroup_left "$CID"
  cg_bundle '["true"]' "$(cgpath "$CID") | .linux.resources.unified={\"memory.high\":\"1000000\"}"
  try_create
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/unified"* ]]
  no_cgroup_left "$CID"
}
