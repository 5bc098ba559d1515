#!/usr/bin/env bats
# --systemd-cgroup against a real systemd (run inside the user-mode Linux guest of
# scripts/uml/systemd-suite.sh): the container's cgroup is a transient scope, its limits are
# unit properties and cgroup files, update changes both, delete stops the unit, and systemd's
# errors name the unit. Each case runs the same bundle under runc --systemd-cgroup too.

load ../lib/common

setup_file() {
  # hull and runc reach systemd through the system bus: a guest without a working dbus-daemon
  # is a failure of the guest, not a reason to leave runc out.
  if [ -n "${RUNC:-}" ] && { [ "$(systemctl is-active dbus.service)" != active ] ||
    ! busctl --system list >/dev/null 2>&1; }; then
    echo "no system bus in the guest (dbus.service: $(systemctl is-active dbus.service)): runc --systemd-cgroup cannot run" >&2
    return 1
  fi
}

setup() {
  [ -d /run/systemd/system ] || skip "no systemd here: scripts/uml/systemd-suite.sh runs this suite in a systemd guest"
  common_setup
  set_args /probe --quiet --sleep 1000
}

teardown() {
  [ -n "${TEST_TMP:-}" ] || return 0
  cleanup_all_systemd
  common_teardown
}

# The units a test may have made, stopped whatever state the runtimes left them in.
cleanup_all_systemd() {
  local id
  for id in $(ref list -q 2>/dev/null); do ref --systemd-cgroup delete -f "$id" >/dev/null 2>&1 || true; done
  local u
  for u in $(systemctl list-units --all --plain --no-legend "*$CID*" "*$RUNC_CID*" \
    hullt.slice hullsdtest.slice runcsdtest.slice | awk '{print $1}'); do
    systemctl stop "$u" >/dev/null 2>&1 || true
    systemctl reset-failed "$u" >/dev/null 2>&1 || true
  done
}

# sd UNIT PROP...: "PROP=value" lines for the unit in the order asked (systemctl show prints
# them in its own order)
sd() {
  local unit=$1
  shift
  local p args=()
  for p in "$@"; do args+=(-p "$p"); done
  systemctl show "${args[@]}" "$unit" | awk -v order="$*" '
    { i = index($0, "="); v[substr($0, 1, i - 1)] = $0 }
    END { n = split(order, o, " "); for (k = 1; k <= n; k++) print v[o[k]] }'
}

# create_both FILTER: the bundle (edited by FILTER) created under hull as hullsd-$CID.scope
# and under runc as runcsd-$RUNC_CID.scope, both in system.slice
create_both() {
  local filter=${1:-.}
  cfg "$filter"
  cfg '.linux.cgroupsPath = $p' --arg p "system.slice:hullsd:$CID"
  rt --systemd-cgroup create -b "$BUNDLE" "$CID" >"$TEST_TMP/hull.create" 2>&1 ||
    fail "hull create: $(cat "$TEST_TMP/hull.create")"
  HUNIT=hullsd-$CID.scope
  if have_runc_reference; then
    cfg '.linux.cgroupsPath = $p' --arg p "system.slice:runcsd:$RUNC_CID"
    ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID" >"$TEST_TMP/runc.create" 2>&1 ||
      fail "runc create: $(cat "$TEST_TMP/runc.create")"
    RUNIT=runcsd-$RUNC_CID.scope
  fi
}

# unit_gone UNIT CGROUPDIR: the unit is no longer active and its cgroup is removed
unit_gone() {
  local state
  state=$(systemctl show -P ActiveState "$1")
  [ "$state" = inactive ] || [ "$state" = failed ] || fail "$1 is $state after delete"
  [ ! -e "$2" ] || fail "cgroup $2 left after delete"
}

@test "systemd: create starts a delegated transient scope holding the init, as runc" {
  create_both
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  [ "$(cat "/proc/$pid/cgroup")" = "0::/system.slice/$HUNIT" ] || fail "init in $(cat "/proc/$pid/cgroup")"
  [ "$(rt state "$CID" | jq -r .status)" = created ]
  local want="ActiveState=active
Delegate=yes
Slice=system.slice"
  [ "$(sd "$HUNIT" ActiveState Delegate Slice)" = "$want" ] || fail "hull: $(sd "$HUNIT" ActiveState Delegate Slice)"
  [ "$(systemctl show -P ControlGroup "$HUNIT")" = "/system.slice/$HUNIT" ]
  grep -qx "$pid" "/sys/fs/cgroup/system.slice/$HUNIT/cgroup.procs"
  if have_runc_reference; then
    [ "$(sd "$RUNIT" ActiveState Delegate Slice)" = "$want" ] || fail "runc: $(sd "$RUNIT" ActiveState Delegate Slice)"
  fi
}

@test "systemd: limits are unit properties and cgroup files, the same as runc's" {
  create_both '.linux.resources = {memory: {limit: 67108864, reservation: 33554432, swap: 134217728},
    cpu: {shares: 512, quota: 50000, period: 100000}, pids: {limit: 20}}'
  local props=(MemoryMax MemoryLow MemorySwapMax CPUWeight CPUQuotaPerSecUSec CPUQuotaPeriodUSec TasksMax)
  local want="MemoryMax=67108864
MemoryLow=33554432
MemorySwapMax=67108864
CPUWeight=20
CPUQuotaPerSecUSec=500ms
CPUQuotaPeriodUSec=100ms
TasksMax=20"
  [ "$(sd "$HUNIT" "${props[@]}")" = "$want" ] || fail "hull: $(sd "$HUNIT" "${props[@]}")"
  local d=/sys/fs/cgroup/system.slice/$HUNIT f
  local files="memory.max=67108864 memory.low=33554432 memory.swap.max=67108864 cpu.weight=20 cpu.max=50000 100000 pids.max=20"
  local got=""
  for f in memory.max memory.low memory.swap.max cpu.weight cpu.max pids.max; do got+="$f=$(cat "$d/$f") "; done
  [ "$got" = "$files " ] || fail "hull files: $got"
  if have_runc_reference; then
    [ "$(sd "$RUNIT" "${props[@]}")" = "$want" ] || fail "runc: $(sd "$RUNIT" "${props[@]}")"
    local rd=/sys/fs/cgroup/system.slice/$RUNIT rgot=""
    for f in memory.max memory.low memory.swap.max cpu.weight cpu.max pids.max; do rgot+="$f=$(cat "$rd/$f") "; done
    [ "$rgot" = "$got" ] || fail "runc files: $rgot"
  fi
}

# dev_access RUNTIME ID: how opening /dev/z (c 42:0, a major no driver has) for reading and for
# writing ends inside the container: the device cgroup refuses with EPERM before any driver is
# looked up, an allowed open then fails ENXIO (no driver)
dev_access() {
  "$1" exec "$2" /bin/sh -c 'head -c1 /dev/z; echo x >/dev/z' 2>&1 | sed 's/^[^:]*: //'
}

@test "systemd: devices are DevicePolicy=strict with the default nodes allowed, and the config's rules hold exactly, as runc" {
  # c 42:0 is allowed for reading only: systemd's DeviceAllow says "r", and the eBPF program
  # hull attaches (as runc, in place of systemd's) must refuse a write
  create_both '.linux.resources.devices = [{allow: false, access: "rwm"}, {allow: true, type: "c", major: 42, minor: 0, access: "r"}]
    | .linux.devices = [{path: "/dev/z", type: "c", major: 42, minor: 0, fileMode: 438}]'
  [ "$(systemctl show -P DevicePolicy "$HUNIT")" = strict ]
  local allow
  allow=$(systemctl show -P DeviceAllow "$HUNIT")
  [[ "$allow" == *"/dev/char/1:3 rwm"* ]] || fail "DeviceAllow: $allow"
  [[ "$allow" == *"/dev/char/42:0 r"* ]] || fail "DeviceAllow: $allow"
  [[ "$allow" != *"/dev/char/42:0 rw"* ]] || fail "DeviceAllow: $allow"
  rt start "$CID"
  rt exec "$CID" /bin/sh -c 'head -c1 /dev/null; : >/dev/null' || fail "/dev/null not usable"
  local want="/dev/z: No such device or address
can't create /dev/z: Operation not permitted"
  [ "$(dev_access rt "$CID")" = "$want" ] || fail "hull: $(dev_access rt "$CID")"
  if have_runc_reference; then
    [ "$(systemctl show -P DevicePolicy "$RUNIT")" = strict ]
    ref start "$RUNC_CID"
    [ "$(dev_access ref "$RUNC_CID")" = "$want" ] || fail "runc: $(dev_access ref "$RUNC_CID")"
  fi
}

@test "systemd: update changes the unit's properties and the cgroup files, as runc" {
  create_both '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 20}, cpu: {shares: 512}}'
  rt update --memory 134217728 --pids-limit 30 --cpu-share 1024 "$CID"
  local want="MemoryMax=134217728
CPUWeight=39
TasksMax=30"
  [ "$(sd "$HUNIT" MemoryMax CPUWeight TasksMax)" = "$want" ] || fail "hull: $(sd "$HUNIT" MemoryMax CPUWeight TasksMax)"
  local d=/sys/fs/cgroup/system.slice/$HUNIT
  [ "$(cat "$d/memory.max") $(cat "$d/pids.max") $(cat "$d/cpu.weight")" = "134217728 30 39" ]
  if have_runc_reference; then
    ref --systemd-cgroup update --memory 134217728 --pids-limit 30 --cpu-share 1024 "$RUNC_CID"
    [ "$(sd "$RUNIT" MemoryMax CPUWeight TasksMax)" = "$want" ] || fail "runc: $(sd "$RUNIT" MemoryMax CPUWeight TasksMax)"
  fi
}

@test "systemd: delete stops the unit and removes its cgroup (created and running), as runc" {
  create_both
  rt delete "$CID"
  unit_gone "$HUNIT" "/sys/fs/cgroup/system.slice/$HUNIT"
  [ -z "$(rt list -q)" ]
  cfg '.linux.cgroupsPath = $p' --arg p "system.slice:hullsd:$CID-r"
  rt --systemd-cgroup run -d -b "$BUNDLE" "$CID-r" >/dev/null
  [ "$(systemctl show -P ActiveState "hullsd-$CID-r.scope")" = active ]
  rt delete -f "$CID-r"
  unit_gone "hullsd-$CID-r.scope" "/sys/fs/cgroup/system.slice/hullsd-$CID-r.scope"
  if have_runc_reference; then
    ref --systemd-cgroup delete "$RUNC_CID"
    unit_gone "$RUNIT" "/sys/fs/cgroup/system.slice/$RUNIT"
  fi
}

@test "systemd: pause and resume work on the scope's cgroup, as runc" {
  create_both
  rt start "$CID"
  rt pause "$CID"
  [ "$(rt state "$CID" | jq -r .status)" = paused ]
  grep -qx 'frozen 1' "/sys/fs/cgroup/system.slice/$HUNIT/cgroup.events"
  rt resume "$CID"
  [ "$(rt state "$CID" | jq -r .status)" = running ]
  grep -qx 'frozen 0' "/sys/fs/cgroup/system.slice/$HUNIT/cgroup.events"
  if have_runc_reference; then
    ref start "$RUNC_CID"
    ref pause "$RUNC_CID"
    [ "$(ref state "$RUNC_CID" | jq -r .status)" = paused ]
    grep -qx 'frozen 1' "/sys/fs/cgroup/system.slice/$RUNIT/cgroup.events"
    ref resume "$RUNC_CID"
    grep -qx 'frozen 0' "/sys/fs/cgroup/system.slice/$RUNIT/cgroup.events"
  fi
}

@test "systemd: an empty cgroupsPath is system.slice/hull-<id>.scope (runc: runc-<id>.scope)" {
  cfg 'del(.linux.cgroupsPath)'
  rt --systemd-cgroup create -b "$BUNDLE" "$CID"
  [ "$(systemctl show -P ActiveState "hull-$CID.scope")" = active ]
  if have_runc_reference; then
    ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID"
    [ "$(systemctl show -P ActiveState "runc-$RUNC_CID.scope")" = active ]
  fi
  rt delete "$CID"
  unit_gone "hull-$CID.scope" "/sys/fs/cgroup/system.slice/hull-$CID.scope"
}

@test "systemd: a nested slice is expanded (a-b.slice is a.slice/a-b.slice), as runc" {
  cfg '.linux.cgroupsPath = $p' --arg p "hullt-sub.slice:hullsd:$CID"
  rt --systemd-cgroup create -b "$BUNDLE" "$CID"
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  [ "$(cat "/proc/$pid/cgroup")" = "0::/hullt.slice/hullt-sub.slice/hullsd-$CID.scope" ] || fail "$(cat "/proc/$pid/cgroup")"
  if have_runc_reference; then
    cfg '.linux.cgroupsPath = $p' --arg p "hullt-sub.slice:runcsd:$RUNC_CID"
    ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID"
    pid=$(ref state "$RUNC_CID" | jq -r .pid)
    [ "$(cat "/proc/$pid/cgroup")" = "0::/hullt.slice/hullt-sub.slice/runcsd-$RUNC_CID.scope" ] || fail "runc: $(cat "/proc/$pid/cgroup")"
    ref --systemd-cgroup delete "$RUNC_CID"
  fi
  rt delete "$CID"
  systemctl stop hullt-sub.slice hullt.slice
}

@test "systemd: a unit that already exists fails naming it, leaves the other container alone, as runc fails" {
  create_both
  # a second container asking for the same unit
  cfg '.linux.cgroupsPath = $p' --arg p "system.slice:hullsd:$CID"
  snapshot_mounts
  run rt --systemd-cgroup create -b "$BUNDLE" "$CID-2"
  [ "$status" -ne 0 ] || fail "second create of $HUNIT succeeded"
  [[ "$output" == *"systemd unit $HUNIT: starting: "*"UnitExists"* ]] || fail "$output"
  assert_nothing_left "$CID-2"
  [ "$(rt state "$CID" | jq -r .status)" = created ]
  [ "$(systemctl show -P ActiveState "$HUNIT")" = active ]
  if have_runc_reference; then
    cfg '.linux.cgroupsPath = $p' --arg p "system.slice:runcsd:$RUNC_CID"
    run ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID-2"
    [ "$status" -ne 0 ] || fail "runc's second create succeeded"
    ref --systemd-cgroup delete -f "$RUNC_CID-2" >/dev/null 2>&1 || true
  fi
}

@test "systemd: a bad cgroupsPath fails before systemd is asked, naming it" {
  cfg '.linux.cgroupsPath = "/not/a/slice/path"'
  run rt --systemd-cgroup create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *'cgroupsPath "/not/a/slice/path": expected slice:prefix:name with --systemd-cgroup'* ]] || fail "$output"
  assert_nothing_left "$CID"
  if have_runc_reference; then
    run ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID"
    [ "$status" -ne 0 ] || fail "runc accepted /not/a/slice/path"
    [[ "$output" == *'slice:prefix:name'* ]] || fail "runc: $output"
  fi
}

@test "systemd: memory.high from unified is MemoryHigh, as runc; a blkio weight without io.weight fails naming the field, as runc fails" {
  create_both '.linux.resources = {unified: {"memory.high": "50331648"}}'
  [ "$(sd "$HUNIT" MemoryHigh)" = "MemoryHigh=50331648" ] || fail "hull: $(sd "$HUNIT" MemoryHigh)"
  [ "$(cat "/sys/fs/cgroup/system.slice/$HUNIT/memory.high")" = 50331648 ]
  if have_runc_reference; then
    [ "$(sd "$RUNIT" MemoryHigh)" = "MemoryHigh=50331648" ] || fail "runc: $(sd "$RUNIT" MemoryHigh)"
    [ "$(cat "/sys/fs/cgroup/system.slice/$RUNIT/memory.high")" = 50331648 ]
  fi
  # the guest's kernel has the io controller but no io.weight (no iocost, no BFQ)
  [ ! -e "/sys/fs/cgroup/system.slice/$HUNIT/io.weight" ] || return 0
  cfg '.linux.resources = {blockIO: {weight: 500}} | .linux.cgroupsPath = $p' --arg p "system.slice:hullsd:$CID-io"
  snapshot_mounts
  run rt --systemd-cgroup create -b "$BUNDLE" "$CID-io"
  [ "$status" -ne 0 ] || fail "create with a blkio weight and no io.weight succeeded"
  [[ "$output" == *"/linux/resources/blockIO/weight"*"io.weight"* ]] || fail "$output"
  assert_nothing_left "$CID-io"
  unit_gone "hullsd-$CID-io.scope" "/sys/fs/cgroup/system.slice/hullsd-$CID-io.scope"
  if have_runc_reference; then
    cfg '.linux.cgroupsPath = $p' --arg p "system.slice:runcsd:$RUNC_CID-io"
    run ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID-io"
    [ "$status" -ne 0 ] || fail "runc's create with a blkio weight and no io.weight succeeded"
  fi
}

@test "systemd: cpus in a guest without cpuset fails naming the field and leaves no unit, as runc fails" {
  ! grep -qw cpuset /sys/fs/cgroup/cgroup.controllers || skip "this guest has the cpuset controller"
  cfg '.linux.resources.cpu = {cpus: "0"}'
  cfg '.linux.cgroupsPath = $p' --arg p "system.slice:hullsd:$CID"
  snapshot_mounts
  run rt --systemd-cgroup create -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ] || fail "create with cpus and no cpuset controller succeeded"
  [[ "$output" == *"/linux/resources/cpu/cpus"*"cpuset"* ]] || fail "$output"
  assert_nothing_left "$CID"
  unit_gone "hullsd-$CID.scope" "/sys/fs/cgroup/system.slice/hullsd-$CID.scope"
  if have_runc_reference; then
    cfg '.linux.cgroupsPath = $p' --arg p "system.slice:runcsd:$RUNC_CID"
    run ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID"
    [ "$status" -ne 0 ] || fail "runc's create with cpus and no cpuset succeeded"
  fi
}

@test "systemd: a name ending in .slice makes the container a slice of its own (runc 1.1.5 fails)" {
  cfg '.linux.cgroupsPath = "-.slice:hullsd:hullsdtest.slice"'
  rt --systemd-cgroup create -b "$BUNDLE" "$CID"
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  [ "$(cat "/proc/$pid/cgroup")" = "0::/hullsdtest.slice" ] || fail "hull: $(cat "/proc/$pid/cgroup")"
  [ "$(systemctl show -P ActiveState hullsdtest.slice)" = active ]
  if have_runc_reference; then
    # runc 1.1.5 cannot: it hands the slice a PIDs property, which systemd refuses for slices
    cfg '.linux.cgroupsPath = "-.slice:runcsd:runcsdtest.slice"'
    run ref --systemd-cgroup create -b "$BUNDLE" "$RUNC_CID"
    [ "$status" -ne 0 ] || fail "runc made a slice container (this case expects runc 1.1.5's failure)"
    [[ "$output" == *"Cannot set property PIDs"* ]] || fail "runc: $output"
    ref delete -f "$RUNC_CID" >/dev/null 2>&1 || true
  fi
  rt delete -f "$CID"
  unit_gone hullsdtest.slice /sys/fs/cgroup/hullsdtest.slice
}
