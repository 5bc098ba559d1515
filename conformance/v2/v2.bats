#!/usr/bin/env bats
# What only pure cgroup v2 has, run in the UML guest of the v2 suite (run-in-guest.sh):
# unified keys, memory.oom.group, cpu.idle, the device eBPF program, cgroup.kill,
# CLONE_INTO_CGROUP, the cgroupns view, nested and relative paths, and the clear errors for
# what the guest's kernel lacks. runc is the oracle where it behaves the same.

load ../lib/cgroups
load helpers

setup() {
  is_v2 || skip "needs a pure cgroup v2 host (run through the v2 suite's guest)"
  setup_suite_dirs
}

teardown() {
  [ -n "${WORK:-}" ] || return 0
  # a test that throttled the disk lifts it first, so a writer stuck on it can finish
  if [ -e "$WORK/throttled" ]; then
    echo "$(cat "$WORK/throttled") wbps=max" >"$CG/$ID/io.max" || true
  fi
  if [ -e "$WORK/dd.pid" ]; then wait "$(cat "$WORK/dd.pid")" 2>/dev/null || true; fi
  cleanup_all
}

# snapshot of the files named in $files (CONTROLLER/FILE, relative to the container's dir)
snapshot() {
  local f
  for f in $files; do echo "$f $(cat "$CG/$ID/${f#*/}")"; done
}

@test "v2: unified keys, memory.oom.group and swap -1 as runc; cpu.idle" {
  make_bundle "$WORK/b" '["sleep","1000"]' "$(cgpath "$ID") |
    .linux.resources.unified={\"memory.oom.group\":\"1\",\"memory.high\":\"50331648\",\"pids.max\":\"33\"} |
    .linux.resources.memory={limit:67108864,swap:-1} | .linux.resources.cpu={idle:1}"
  # cpu.idle: hull only (runc 1.1.5 ignores linux.resources.cpu.idle and leaves 0)
  files="memory/memory.oom.group memory/memory.high memory/memory.max memory/memory.swap.max pids/pids.max"
  rt create -b "$WORK/b" "$ID"
  expect_cg "$ID" "memory memory.oom.group 1" "memory memory.high 50331648" \
    "memory memory.swap.max max" "pids pids.max 33" "cpu cpu.idle 1"
  rt delete --force "$ID"
  same_as_runc "$WORK/b" snapshot
}

@test "v2: a swap limit below the memory limit names memory/swap; nothing is left" {
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | .linux.resources.memory={limit:67108864,swap:33554432}"
  try_create "$WORK/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/resources/memory/swap: the memory+swap limit 33554432 is below the memory limit 67108864"* ]]
  no_cgroup_left "$ID"
  [ ! -e "$STATE/$ID" ]
}

# missing_field FIELD JQ: a resource this guest's kernel lacks is an error naming the field,
# and create leaves nothing behind.
missing_field() {
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID") | $2"
  try_create "$WORK/b"
  [ "$status" -ne 0 ] || fail "create with $1 succeeded"
  [[ "$output" == *"config.json: /linux/resources/$1: "* ]] || fail "message: $output"
  no_cgroup_left "$ID"
  [ ! -e "$STATE/$ID" ]
}

fail() {
  echo "# FAIL: $*" >&2
  return 1
}

@test "v2: cpuset, hugetlb, rdma and io weights the kernel lacks are errors naming the field" {
  v2_has cpuset && v2_has hugetlb && v2_has rdma && skip "this kernel has every controller"
  v2_has cpuset || missing_field cpu/cpus '.linux.resources.cpu={cpus:"0"}'
  v2_has cpuset || missing_field cpu/mems '.linux.resources.cpu={mems:"0"}'
  v2_has hugetlb || missing_field hugepageLimits/0 '.linux.resources.hugepageLimits=[{pageSize:"2MB",limit:2097152}]'
  v2_has rdma || missing_field rdma/mlx5_0 '.linux.resources.rdma={mlx5_0:{hcaHandles:3}}'
  missing_field network '.linux.resources.network={classID:1048577}'
  # io.weight needs BFQ or io.cost; when the kernel has it the value lands instead
  make_bundle "$WORK/b" '["sleep","1000"]' "$(cgpath "$ID") | .linux.resources.blockIO={weight:500}"
  try_create "$WORK/b"
  if [ "$status" = 0 ]; then
    grep -q . "$CG/$ID/io.weight" "$CG/$ID/io.bfq.weight" 2>/dev/null
  else
    [[ "$output" == *"config.json: /linux/resources/blockIO/weight: "*"io.weight"* ]]
    no_cgroup_left "$ID"
  fi
}

# devices_script: what the container tries; the same lines from hull and runc
devices_script='rm -f /tmp/blk /tmp/c9 /tmp/c240
for d in null zero full random urandom tty; do echo x 2>/dev/null >/dev/$d && echo "$d w ok" || echo "$d w denied"; done
mknod /tmp/blk b 98 0 && echo "mknod ok"; head -c1 /tmp/blk >/dev/null 2>&1 && echo "blk r ok" || echo "blk r denied"
mknod /tmp/c9 c 1 9 && (head -c1 /tmp/c9 >/dev/null 2>&1 && echo "c9 r ok" || echo "c9 r denied")
mknod /tmp/c240 c 240 7 && (echo x 2>/dev/null >/tmp/c240; echo "c240 w rc $?")'

# run_devices RUNNER ID: runs the bundle in $WORK/b, output to $WORK/RUNNER.out
run_devices() {
  "$1" run -b "$WORK/b" "$2" </dev/null >"$WORK/$1.out" 2>&1 || true
  "$1" delete --force "$2" >/dev/null 2>&1 || true
}

devices_bundle() {
  make_bundle "$WORK/b" "$(jq -cn --arg s "$devices_script" '["sh","-c",$s]')" \
    "$(cgpath "$ID") | .process.capabilities.bounding += [\"CAP_MKNOD\"] |
     .process.capabilities.effective += [\"CAP_MKNOD\"] | .process.capabilities.permitted += [\"CAP_MKNOD\"] | ${1:-.}"
}

@test "v2: the device eBPF program gives runc's verdicts for the default config" {
  devices_bundle
  run_devices rt "$ID"
  run_devices runc_rt "$ID"
  cat "$WORK/rt.out"
  grep -qx "null w ok" "$WORK/rt.out"
  grep -qx "blk r denied" "$WORK/rt.out"
  diff -u "$WORK/runc_rt.out" "$WORK/rt.out"
}

@test "v2: forty specific device rules load (the verifier log overflowed at ~20) and decide as runc" {
  # issue 13: the program was always loaded with a 16 KiB verifier log, whose overflow
  # (ENOSPC) failed the load
  local rules='[{allow:false,access:"rwm"}] + [range(40) | {allow:true,type:"c",major:240,minor:.,access:"rw"}] + [{allow:true,type:"c",major:1,minor:9,access:"r"}]'
  devices_bundle ".linux.resources.devices=($rules)"
  run_devices rt "$ID"
  cat "$WORK/rt.out"
  grep -qx "c9 r ok" "$WORK/rt.out"
  grep -qx "c240 w rc 0" "$WORK/rt.out" || grep -q "c240 w rc" "$WORK/rt.out"
  ! grep -q "loading the device filter" "$WORK/rt.out"
  run_devices runc_rt "$ID"
  diff -u "$WORK/runc_rt.out" "$WORK/rt.out"
}

@test "v2: kill --all KILL is one write to cgroup.kill; other signals go pid by pid" {
  make_bundle "$WORK/b" '["sh","-c","trap \"\" TERM; sleep 1001 & sleep 1002 & wait"]' "$(cgpath "$ID")"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
  three() { [ "$(wc -l <"$CG/$ID/cgroup.procs")" = 3 ]; }
  wait_for three
  strace -f -qq -e trace=kill,openat -o "$WORK/term.trace" "$RUNTIME" --root "$STATE" kill --all "$ID" TERM
  grep -c 'kill(' "$WORK/term.trace" | grep -qx 3 || fail "TERM: $(cat "$WORK/term.trace")"
  ! grep -q cgroup.kill "$WORK/term.trace"
  strace -f -qq -e trace=kill,openat -o "$WORK/kill.trace" "$RUNTIME" --root "$STATE" kill --all "$ID" KILL
  grep -q 'openat(.*/cgroup.kill", O_WRONLY' "$WORK/kill.trace" || fail "KILL: $(cat "$WORK/kill.trace")"
  ! grep -q 'kill(' "$WORK/kill.trace"
  empty() { [ -z "$(cat "$CG/$ID/cgroup.procs")" ]; }
  wait_for empty
  rt delete "$ID"
  no_cgroup_left "$ID"
}

@test "v2: the init is cloned straight into its cgroup (clone3 CLONE_INTO_CGROUP)" {
  make_bundle "$WORK/b" '["true"]' "$(cgpath "$ID")"
  strace -f -qq -e trace=clone3 -o "$WORK/clone.trace" "$RUNTIME" --root "$STATE" run -b "$WORK/b" "$ID" </dev/null ||
    fail "run under strace: $(tail -5 "$WORK/clone.trace")"
  grep -q 'CLONE_INTO_CGROUP' "$WORK/clone.trace" || fail "$(cat "$WORK/clone.trace")"
  # run deletes the container when it ends
  no_cgroup_left "$ID"
}

@test "v2: in a cgroup namespace the container sees 0::/ and its own limits, as under runc" {
  make_bundle "$WORK/b" '["sh","-c","cat /proc/self/cgroup; cat /sys/fs/cgroup/pids.max; ls /sys/fs/cgroup | grep -c ^cgroup"]' \
    "$(cgpath "$ID") | .linux.namespaces |= (map(select(.type != \"cgroup\")) + [{type:\"cgroup\"}]) | .linux.resources.pids={limit:21}"
  rt run -b "$WORK/b" "$ID" </dev/null >"$WORK/ours" 2>&1 || fail "hull run: $(cat "$WORK/ours")"
  runc_rt run -b "$WORK/b" "$ID" </dev/null >"$WORK/runc" 2>&1
  cat "$WORK/ours"
  [ "$(head -1 "$WORK/ours")" = "0::/" ]
  [ "$(sed -n 2p "$WORK/ours")" = 21 ]
  diff -u "$WORK/runc" "$WORK/ours"
}

@test "v2: nested absolute and relative cgroupsPath, limits set on the leaf, as runc" {
  local runner id
  for runner in rt runc_rt; do
    make_bundle "$WORK/b" '["sleep","1000"]' ".linux.cgroupsPath=\"/n-$ID/a/b\" | .linux.resources.pids={limit:9}"
    "$runner" create -b "$WORK/b" "$ID"
    local pid
    pid=$("$runner" state "$ID" | jq .pid)
    [ "$(cat "/proc/$pid/cgroup")" = "0::/n-$ID/a/b" ] || fail "$runner: $(cat "/proc/$pid/cgroup")"
    [ "$(cat "$CG/n-$ID/a/b/pids.max")" = 9 ]
    "$runner" delete --force "$ID"
    [ ! -e "$CG/n-$ID/a/b" ] || fail "$runner left the leaf"
    find "$CG/n-$ID" -depth -type d -exec rmdir {} \;
    # relative: below the caller's own cgroup (this shell's is the root here)
    make_bundle "$WORK/b" '["sleep","1000"]' ".linux.cgroupsPath=\"r-$ID/in\""
    "$runner" create -b "$WORK/b" "$ID"
    pid=$("$runner" state "$ID" | jq .pid)
    [ "$(cat "/proc/$pid/cgroup")" = "0::/r-$ID/in" ] || fail "$runner: $(cat "/proc/$pid/cgroup")"
    "$runner" delete --force "$ID"
    [ ! -e "$CG/r-$ID/in" ] || fail "$runner left the leaf"
    rmdir "$CG/r-$ID"
  done
}

# a disk writer in the container's cgroup, stuck in uninterruptible sleep on a throttled disk
# (1 MiB at 4 KiB/s: minutes, against the freeze's 10 s):
# the freezer cannot reach it, so the cgroup never reports frozen
@test "v2: pause of a cgroup that never reports frozen fails, thawed back, naming the cgroup" {
  local dev
  dev=$(test_blockdev) || skip "no block device (the v2 suite boots with --disk)"
  # (the writer joins the container's cgroup, so its device program must let it at the disk)
  make_bundle "$WORK/b" '["sleep","1000"]' "$(cgpath "$ID") | .linux.resources.blockIO={throttleWriteBpsDevice:[{major:${dev%:*},minor:${dev#*:},rate:4096}]} |
    .linux.resources.devices += [{allow:true,type:\"b\",major:${dev%:*},minor:${dev#*:},access:\"rw\"}]"
  rt create -b "$WORK/b" "$ID"
  rt start "$ID"
  echo "$dev" >"$WORK/throttled"
  local disk=/dev/block/$dev
  [ -e "$disk" ] || disk=/dev/$(basename "$(readlink -f "/sys/dev/block/$dev")")
  sh -c "echo \$\$ >$CG/$ID/cgroup.procs && exec dd if=/dev/zero of=$disk bs=1M count=1 oflag=direct status=none" \
    2>"$WORK/dd.err" &
  local dd=$!
  echo "$dd" >"$WORK/dd.pid"
  # until the writer sleeps in D (a writer that ended, say the disk refused it, fails at once)
  local i st=""
  for i in $(seq 600); do
    read -r _ _ st _ <"/proc/$dd/stat" 2>/dev/null || fail "the writer ended: $(cat "$WORK/dd.err")"
    [ "$st" != Z ] || fail "the writer ended: $(cat "$WORK/dd.err")"
    [ "$st" = D ] && break
    sleep 0.1
  done
  [ "$st" = D ] || fail "the writer never slept in D (state $st)"
  run rt pause "$ID"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"cgroup $CG/$ID did not report frozen"*"thawed it back"* ]]
  [ "$(cat "$CG/$ID/cgroup.freeze")" = 0 ]
  [ "$(rt state "$ID" | jq -r .status)" = running ]
}
