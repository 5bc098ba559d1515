#!/usr/bin/env bats
# cgroup resources, pause/resume, update, events, ps, kill --all and delete, end to end on the
# host's layout: hybrid v1 here, pure v2 in the guest of the v2 suite (conformance/v2), which
# runs this file too. Values are checked in the host's cgroup files (v2: converted as runc
# converts them) and, where a limit shows, from inside the container.

load helpers

setup() {
  setup_suite_dirs
}

teardown() {
  cleanup_all
}

start_sleeper() {  # start_sleeper [JQ_FILTER]
  make_bundle "$WORK/b" '["sleep","1000"]' "$(cgpath "$ID") | ${1:-.}"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
}

@test "memory: limit, reservation and swap land in the files; a hog is OOM-killed" {
  make_bundle "$WORK/b" '["sh","-c","dd if=/dev/zero of=/dev/null bs=64M count=1 && echo survived; sleep 1000"]' \
    "$(cgpath "$ID") | .linux.resources.memory={limit:16777216,reservation:8388608,swap:16777216}"
  rt create -b "$WORK/b" "$ID"
  if is_v2; then
    # swap is memory+swap in the spec, swap alone on v2; the reservation is memory.low
    expect_cg "$ID" "memory memory.max 16777216" "memory memory.low 8388608" \
      "memory memory.swap.max 0"
  else
    expect_cg "$ID" "memory memory.limit_in_bytes 16777216" \
      "memory memory.soft_limit_in_bytes 8388608" "memory memory.memsw.limit_in_bytes 16777216"
  fi
  rt start "$ID"
  if is_v2; then
    wait_for grep -q "oom_kill [1-9]" "$CG/$ID/memory.events"
  else
    wait_for grep -q "oom_kill [1-9]" "$CG/memory/$ID/memory.oom_control"
  fi
  dd_gone() { ! rt ps "$ID" | grep -q "dd if"; }
  wait_for dd_gone
  [ "$(rt state "$ID" | jq -r .status)" = running ]  # only the hog died
}

@test "pids: the limit makes fork fail inside" {
  make_bundle "$WORK/b" '["sh","-c","for i in 1 2 3 4 5 6 7 8; do sleep 100 & done; wait"]' \
    "$(cgpath "$ID") | .linux.resources.pids={limit:4}"
  run rt run -b "$WORK/b" "$ID"
  [[ "$output" == *"can't fork"* ]]
}

@test "pids: the file holds the limit, and -1 is max" {
  start_sleeper '.linux.resources.pids={limit:7}'
  [ "$(cgfile pids "$ID" pids.max)" = 7 ]
  rt update --pids-limit -1 "$ID"
  [ "$(cgfile pids "$ID" pids.max)" = max ]
}

@test "cpuset: cpus limit nproc inside" {
  is_v2 && ! v2_has cpuset && skip "no cpuset controller (the v2 suite asserts the error)"
  make_bundle "$WORK/b" '["nproc"]' "$(cgpath "$ID") | .linux.resources.cpu={cpus:\"0\",mems:\"0\"}"
  run rt run -b "$WORK/b" "$ID"
  [ "$status" -eq 0 ]
  [ "$output" = 1 ]
}

@test "cpu: shares, quota, period and burst land in the files" {
  start_sleeper '.linux.resources.cpu={shares:512,quota:20000,period:50000,burst:1000}'
  if is_v2; then
    # weight = 1 + (shares - 2) * 9999 / 262142, as runc
    expect_cg "$ID" "cpu cpu.weight 20" "cpu cpu.max 20000 50000" "cpu cpu.max.burst 1000"
  else
    expect_cg "$ID" "cpu cpu.shares 512" "cpu cpu.cfs_quota_us 20000" \
      "cpu cpu.cfs_period_us 50000" "cpu cpu.cfs_burst_us 1000"
  fi
}

@test "blockIO: weight and throttles land in the files" {
  local dev maj min
  dev=$(test_blockdev) || skip "no block device here"
  maj=${dev%:*} min=${dev#*:}
  local throttles="throttleReadBpsDevice:[{major:$maj,minor:$min,rate:1048576}],throttleWriteIOPSDevice:[{major:$maj,minor:$min,rate:50}]"
  if is_v2; then
    # weights: conformance/v2 (the guest's kernel has no io.weight)
    start_sleeper ".linux.resources.blockIO={$throttles}"
    [ "$(cgfile io "$ID" io.max)" = "$dev rbps=1048576 wbps=max riops=max wiops=50" ]
    return
  fi
  start_sleeper ".linux.resources.blockIO={weight:300,$throttles}"
  grep -q 300 "$CG/blkio/$ID/blkio.bfq.weight" || grep -q 300 "$CG/blkio/$ID/blkio.weight"
  [ "$(cgfile blkio "$ID" blkio.throttle.read_bps_device)" = "$dev 1048576" ]
  [ "$(cgfile blkio "$ID" blkio.throttle.write_iops_device)" = "$dev 50" ]
}

@test "devices: the default config allows the standard devices and nothing else" {
  make_bundle "$WORK/b" \
    '["sh","-c","echo x > /dev/null && echo null-ok; head -c 1 /dev/urandom >/dev/null && echo urandom-ok; mknod /tmp/disk b 254 0 && echo mknod-ok; head -c 1 /tmp/disk >/dev/null || echo disk-denied"]' \
    "$(cgpath "$ID") | .process.capabilities.bounding += [\"CAP_MKNOD\"] | .process.capabilities.effective += [\"CAP_MKNOD\"] | .process.capabilities.permitted += [\"CAP_MKNOD\"]"
  run rt run -b "$WORK/b" "$ID"
  echo "$output"
  [[ "$output" == *null-ok* ]]
  [[ "$output" == *urandom-ok* ]]
  [[ "$output" == *mknod-ok* ]]  # mknod is allowed for any node, as runc does
  [[ "$output" == *disk-denied* ]]
  [[ "$output" == *"Operation not permitted"* ]]
}

@test "devices: the v1 list matches runc's for the default config" {
  is_v2 && skip "v1 only: conformance/v2 compares the eBPF program's verdicts with runc's"
  make_bundle "$WORK/b" '["sleep","1000"]' "$(cgpath "$ID")"
  device_list() { sort "$CG/devices/$ID/devices.list"; }
  same_as_runc "$WORK/b" device_list
}

@test "differential: the same resources give the same files as runc" {
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
  make_bundle "$WORK/b" '["sleep","1000"]' "$(cgpath "$ID") | .linux.resources += $res"
  snapshot() {
    local f
    for f in $files; do echo "$f $(cat "$(cgdir "${f%%/*}" "$ID")/${f#*/}")"; done
  }
  same_as_runc "$WORK/b" snapshot
}

@test "update: flags (also after the id) change the files" {
  start_sleeper '.linux.resources.memory={limit:33554432} | .linux.resources.pids={limit:10}'
  if is_v2; then
    local cpuset=()
    v2_has cpuset && cpuset=(--cpuset-cpus 0)
    rt update "$ID" --memory 64m --memory-swap 128m --cpu-share 300 --cpu-quota 25000 \
      --cpu-period 100000 "${cpuset[@]}" --pids-limit 20
    expect_cg "$ID" "memory memory.max 67108864" "memory memory.swap.max 67108864" \
      "cpu cpu.weight 12" "cpu cpu.max 25000 100000" "pids pids.max 20"
    return
  fi
  rt update "$ID" --memory 64m --memory-swap 128m --cpu-share 300 --cpu-quota 25000 \
    --cpu-period 100000 --cpuset-cpus 0 --pids-limit 20 --blkio-weight 200
  expect_cg "$ID" "memory memory.limit_in_bytes 67108864" \
    "memory memory.memsw.limit_in_bytes 134217728" "cpu cpu.shares 300" \
    "cpu cpu.cfs_quota_us 25000" "cpu cpu.cfs_period_us 100000" "cpuset cpuset.cpus 0" \
    "pids pids.max 20"
  grep -q 200 "$CG/blkio/$ID/blkio.bfq.weight" || grep -q 200 "$CG/blkio/$ID/blkio.weight"
}

@test "update --resources -: zeros leave values alone (containerd's documents)" {
  start_sleeper '.linux.resources.memory={limit:33554432} | .linux.resources.pids={limit:10} | .linux.resources.cpu={shares:512}'
  echo '{"memory":{"limit":0,"swap":0},"cpu":{"shares":0,"quota":40000,"period":0},"pids":{"limit":0},"blockIO":{"weight":0}}' |
    rt update --resources - "$ID"
  if is_v2; then
    expect_cg "$ID" "memory memory.max 33554432" "pids pids.max 10" "cpu cpu.weight 20" \
      "cpu cpu.max 40000 100000"
    return
  fi
  expect_cg "$ID" "memory memory.limit_in_bytes 33554432" "pids pids.max 10" \
    "cpu cpu.shares 512" "cpu cpu.cfs_quota_us 40000"
}

@test "update: a limit below usage, bad sizes and bad documents are errors" {
  start_sleeper
  run rt update "$ID" --memory lots
  [ "$status" -ne 0 ]
  [[ "$output" == *'--memory: invalid value "lots"'* ]]
  if ! is_v2; then  # v2 clamps shares into the weight range, as runc
    run rt update "$ID" --cpu-share 1
    [ "$status" -ne 0 ]
    [[ "$output" == *"cpu/shares: 1 is out of the kernel's range"* ]]
  fi
  run bash -c "echo '{\"memory\":{\"limit\":\"x\"}}' | $RUNTIME --root $STATE update -r - $ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"stdin: /memory/limit"* ]]
  run rt update nosuch --memory 1m
  [ "$status" -ne 0 ]
}

@test "pause freezes a counter loop; resume thaws it" {
  make_bundle "$WORK/b" '["sh","-c","i=0; while true; do i=$((i+1)); echo $i > /tmp/c.new; mv /tmp/c.new /tmp/count; done"]' "$(cgpath "$ID")"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
  wait_for test -s "$WORK/b/rootfs/tmp/count"
  rt pause "$ID"
  [ "$(rt state "$ID" | jq -r .status)" = paused ]
  if is_v2; then
    [ "$(cgfile x "$ID" cgroup.freeze)" = 1 ]
    grep -qx "frozen 1" "$CG/$ID/cgroup.events"
  else
    [ "$(cgfile freezer "$ID" freezer.state)" = FROZEN ]
  fi
  local a b
  a=$(cat "$WORK/b/rootfs/tmp/count")
  sleep 0.5
  b=$(cat "$WORK/b/rootfs/tmp/count")
  [ "$a" = "$b" ]
  run rt pause "$ID"
  [ "$status" -ne 0 ]
  rt resume "$ID"
  [ "$(rt state "$ID" | jq -r .status)" = running ]
  sleep 0.5
  b=$(cat "$WORK/b/rootfs/tmp/count")
  [ "$b" -gt "$a" ]
  run rt resume "$ID"
  [ "$status" -ne 0 ]
}

@test "delete --force of a paused container removes every cgroup dir" {
  start_sleeper
  rt pause "$ID"
  rt delete --force "$ID"
  no_cgroup_left "$ID"
}

@test "events --stats: one runc-shaped line whose numbers grow" {
  make_bundle "$WORK/b" '["sh","-c","while true; do :; done"]' "$(cgpath "$ID") | .linux.resources.pids={limit:50}"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
  run rt events --stats "$ID"
  [ "$status" -eq 0 ]
  [ "${#lines[@]}" -eq 1 ]
  [ "$(echo "$output" | jq -r .type)" = stats ]
  [ "$(echo "$output" | jq -r .id)" = "$ID" ]
  [ "$(echo "$output" | jq .data.pids.limit)" = 50 ]
  [ "$(echo "$output" | jq .data.pids.current)" = 1 ]
  [ "$(echo "$output" | jq '.data.memory.usage.usage > 0')" = true ]
  local first second
  first=$(echo "$output" | jq .data.cpu.usage.total)
  sleep 0.5
  second=$(rt events --stats "$ID" | jq .data.cpu.usage.total)
  [ "$second" -gt "$first" ]
}

@test "events: streams stats at the interval, reports an OOM, ends when the container stops" {
  make_bundle "$WORK/b" '["sh","-c","while [ ! -e /tmp/go ]; do sleep 0.1; done; dd if=/dev/zero of=/dev/null bs=64M count=1; sleep 1000"]' \
    "$(cgpath "$ID") | .linux.resources.memory={limit:16777216,swap:16777216}"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
  rt events --interval 200ms "$ID" >"$WORK/events" &
  local events_pid=$!
  two_stats() { [ "$(count_lines '"type":"stats"' "$WORK/events")" -ge 2 ]; }
  wait_for two_stats
  touch "$WORK/b/rootfs/tmp/go"
  wait_for grep -q '"type":"oom"' "$WORK/events"
  rt kill "$ID" KILL
  wait "$events_pid"
  grep -q "{\"type\":\"oom\",\"id\":\"$ID\"}" "$WORK/events"
}

@test "events of a stopped or unknown container is an error" {
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID")"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
  wait_for bash -c "[ \"\$($RUNTIME --root $STATE state $ID | jq -r .status)\" = stopped ]"
  run rt events --stats "$ID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"is not running"* ]]
  run rt events nosuch
  [ "$status" -ne 0 ]
}

@test "ps: json lists the host pids, table filters the host's ps" {
  make_bundle "$WORK/b" '["sh","-c","sleep 1001 & sleep 1002 & wait"]' "$(cgpath "$ID")"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
  wait_for bash -c "[ \$($RUNTIME --root $STATE ps --format json $ID | jq length) -eq 3 ]"
  local pid
  pid=$(rt state "$ID" | jq .pid)
  rt ps --format json "$ID" | jq -e "index($pid) != null"
  # the table comes from the host's ps, which cannot run in a UML guest (no boot time)
  ps -ef >/dev/null 2>&1 || skip "the host's ps fails here: $(ps -ef 2>&1 | tail -1)"
  run rt ps "$ID"
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *PID* ]]
  [ "${#lines[@]}" -eq 4 ]
  [[ "$output" == *"sleep 1001"* ]]
  [[ "$output" == *"sleep 1002"* ]]
  run rt ps "$ID" -o pid,args
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == *PID*COMMAND* ]]
  [ "${#lines[@]}" -eq 4 ]
}

@test "kill --all signals every process; delete removes the cgroup on every controller" {
  make_bundle "$WORK/b" '["sh","-c","sleep 1001 & sleep 1002 & wait"]' "$(cgpath "$ID")"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
  wait_for bash -c "[ \$($RUNTIME --root $STATE ps --format json $ID | jq length) -eq 3 ]"
  local procs
  procs=$(cgdir pids "$ID")/cgroup.procs
  [ -n "$(cat "$procs")" ]  # cgroup files have no size: read them
  rt kill --all "$ID" KILL
  wait_for bash -c "[ -e $procs ] && [ \"\$(cat $procs)\" = '' ]"
  rt delete "$ID"
  no_cgroup_left "$ID"
}

@test "bad input: kernel-refused value names the field; nothing is left behind" {
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | .linux.resources.memory={limit:-5}"
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/resources/memory/limit: -5 is invalid"* ]]
  no_cgroup_left "$ID"
  [ ! -e "$STATE/$ID" ]
}

@test "bad input: cpus outside the machine name the field; nothing is left behind" {
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | .linux.resources.cpu={cpus:\"0-4095\"}"
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/resources/cpu/cpus"* ]]
  no_cgroup_left "$ID"
}

@test "bad input: malformed values and unknown device types are rejected" {
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | .linux.resources.memory={limit:\"64m\"}"
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/memory/limit"* ]]
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | .linux.resources.devices=[{allow:true,type:\"x\",access:\"rwm\"}]"
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/devices/0/type"* ]]
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | .linux.resources.pids={limit:-2} | .linux.resources.devices=[{allow:true,type:\"c\",access:\"rwx\"}]"
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/devices/0/access"* ]]
  no_cgroup_left "$ID"
}

@test "bad input: a cgroupsPath escaping the hierarchy with .. is refused" {
  make_bundle "$WORK/b" '["true"]' '.linux.cgroupsPath="/../../etc"'
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *'cgroupsPath'*'..'* ]]
  [ ! -e "$STATE/$ID" ]
}

@test "missing controllers and v2-only settings are clear errors on v1" {
  is_v2 && skip "v1 only: conformance/v2 asserts the v2 errors"
  [ -d "$CG/hugetlb" ] && skip "hugetlb is mounted here"
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | .linux.resources.hugepageLimits=[{pageSize:\"2MB\",limit:2097152}]"
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/hugepageLimits/0: the hugetlb cgroup controller is not mounted"* ]]
  no_cgroup_left "$ID"
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | .linux.resources.unified={\"memory.high\":\"1000000\"}"
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/resources/unified"* ]]
  no_cgroup_left "$ID"
}
