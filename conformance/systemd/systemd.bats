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

# The containers and units a test may have made, gone whatever state the runtimes left them
# in: containers deleted first (hull's record knows its unit, runc is told --systemd-cgroup),
# then every unit named for this test's ids or one of the suite's fixed slices killed, stopped
# and reset, errors ignored, so no case leaves anything behind or holds up the next.
cleanup_all_systemd() {
  local id u
  for id in $(rt list -q 2>/dev/null); do rt delete -f "$id" >/dev/null 2>&1 || true; done
  for id in $(ref list -q 2>/dev/null); do ref --systemd-cgroup delete -f "$id" >/dev/null 2>&1 || true; done
  # scopes sort before slices, a child slice (a-b.slice) before its parent (a.slice)
  for u in $(systemctl list-units --all --plain --no-legend "*$CID*" "*$RUNC_CID*" \
    hullt.slice hullt-sub.slice hullsdtest.slice runcsdtest.slice 2>/dev/null | awk '{print $1}'); do
    systemctl kill -s KILL "$u" >/dev/null 2>&1 || true
    systemctl stop "$u" >/dev/null 2>&1 || true
    systemctl reset-failed "$u" >/dev/null 2>&1 || true
  done
}

# create_to RUNTIME ID: `RUNTIME --systemd-cgroup create` of the bundle as ID, every stdio (the
# runtime's and its init's) on the file $TEST_TMP/ID.out and never on a pipe of bats: `run`
# reads what it runs to EOF, and a created init keeps the stdio it was given, so a create that
# succeeds under `run` hangs the test for as long as the container lives. Sets status and
# output as `run` does. Every create in this suite goes through it.
create_to() {
  local out=$TEST_TMP/$2.out
  status=0
  "$1" --systemd-cgroup create -b "$BUNDLE" "$2" </dev/null >"$out" 2>&1 || status=$?
  output=$(<"$out")
}

# at CGROUPSPATH: the bundle's cgroupsPath ("" removes it)
at() {
  if [ -z "$1" ]; then
    cfg 'del(.linux.cgroupsPath)'
  else
    cfg '.linux.cgroupsPath = $p' --arg p "$1"
  fi
}

# created RUNTIME ID: create_to that must succeed
created() {
  create_to "$1" "$2"
  [ "$status" -eq 0 ] || fail "$1 create $2: $output"
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
  cfg "${1:-.}"
  at "system.slice:hullsd:$CID"
  created rt "$CID"
  HUNIT=hullsd-$CID.scope
  if have_runc_reference; then
    at "system.slice:runcsd:$RUNC_CID"
    created ref "$RUNC_CID"
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

# placed RUNTIME ID CGROUPSPATH UNIT SLICE CGROUP: created at CGROUPSPATH, the container's init
# is in CGROUP (the cgroupfs path), the unit is an active delegated scope of SLICE whose
# ControlGroup is CGROUP and holds the init, and the container is "created"
placed() {
  local r=$1 id=$2 unit=$4 cg=$6 pid
  at "$3"
  created "$r" "$id"
  pid=$("$r" state "$id" | jq -r .pid)
  [ "$(cat "/proc/$pid/cgroup")" = "0::$cg" ] || fail "$r: init in $(cat "/proc/$pid/cgroup"), not $cg"
  [ "$("$r" state "$id" | jq -r .status)" = created ]
  local want="ActiveState=active
Delegate=yes
Slice=$5
ControlGroup=$cg"
  [ "$(sd "$unit" ActiveState Delegate Slice ControlGroup)" = "$want" ] ||
    fail "$r: $(sd "$unit" ActiveState Delegate Slice ControlGroup)"
  grep -qx "$pid" "/sys/fs/cgroup$cg/cgroup.procs" || fail "$r: $pid not in $cg/cgroup.procs"
}

# refused SUFFIX SLICE HULL_GLOB RUNC_GLOB: with the bundle as it is, hull's create at
# SLICE:hullsd:$CID-SUFFIX fails with HULL_GLOB in its message and leaves nothing (no state,
# cgroup, mount, process or unit); runc's at SLICE:runcsd:$RUNC_CID-SUFFIX fails too, with
# RUNC_GLOB in its message. SLICE "=PATH" is the cgroupsPath PATH for both.
refused() {
  local id=$CID-$1 rid=$RUNC_CID-$1 hp rp
  hp=$2:hullsd:$id rp=$2:runcsd:$rid
  [[ "$2" != =* ]] || hp=${2#=} rp=${2#=}
  at "$hp"
  snapshot_mounts
  create_to rt "$id"
  [ "$status" -ne 0 ] || fail "hull create at $hp succeeded"
  # shellcheck disable=SC2053 # the pattern is a glob: its quotes are plain characters
  [[ "$output" == *$3* ]] || fail "hull at $hp: $output"
  assert_nothing_left "$id"
  unit_gone "hullsd-$id.scope" "/sys/fs/cgroup/system.slice/hullsd-$id.scope"
  if have_runc_reference; then
    at "$rp"
    create_to ref "$rid"
    [ "$status" -ne 0 ] || fail "runc create at $rp succeeded"
    # shellcheck disable=SC2053
    [[ "$output" == *$4* ]] || fail "runc at $rp: $output"
    ref --systemd-cgroup delete -f "$rid" >/dev/null 2>&1 || true
  fi
}

@test "systemd: create starts a delegated transient scope holding the init where cgroupsPath says (default, named, nested slice), as runc" {
  placed rt "$CID" "system.slice:hullsd:$CID" "hullsd-$CID.scope" system.slice \
    "/system.slice/hullsd-$CID.scope"
  placed rt "$CID-d" "" "hull-$CID-d.scope" system.slice "/system.slice/hull-$CID-d.scope"
  # a-b.slice is a.slice/a-b.slice
  placed rt "$CID-n" "hullt-sub.slice:hullsd:$CID-n" "hullsd-$CID-n.scope" hullt-sub.slice \
    "/hullt.slice/hullt-sub.slice/hullsd-$CID-n.scope"
  if have_runc_reference; then
    placed ref "$RUNC_CID" "system.slice:runcsd:$RUNC_CID" "runcsd-$RUNC_CID.scope" system.slice \
      "/system.slice/runcsd-$RUNC_CID.scope"
    placed ref "$RUNC_CID-d" "" "runc-$RUNC_CID-d.scope" system.slice \
      "/system.slice/runc-$RUNC_CID-d.scope"
    placed ref "$RUNC_CID-n" "hullt-sub.slice:runcsd:$RUNC_CID-n" "runcsd-$RUNC_CID-n.scope" \
      hullt-sub.slice "/hullt.slice/hullt-sub.slice/runcsd-$RUNC_CID-n.scope"
  fi
}

@test "systemd: limits are unit properties and cgroup files, the same as runc's; a blkio weight without io.weight fails naming the field, as runc fails" {
  create_both '.linux.resources = {memory: {limit: 67108864, reservation: 33554432, swap: 134217728},
    cpu: {shares: 512, quota: 50000, period: 100000}, pids: {limit: 20},
    unified: {"memory.high": "50331648"}}'
  local props=(MemoryMax MemoryLow MemoryHigh MemorySwapMax CPUWeight CPUQuotaPerSecUSec CPUQuotaPeriodUSec TasksMax)
  local want="MemoryMax=67108864
MemoryLow=33554432
MemoryHigh=50331648
MemorySwapMax=67108864
CPUWeight=20
CPUQuotaPerSecUSec=500ms
CPUQuotaPeriodUSec=100ms
TasksMax=20"
  local files="memory.max=67108864 memory.low=33554432 memory.high=50331648 memory.swap.max=67108864 cpu.weight=20 cpu.max=50000 100000 pids.max=20 "
  local unit got f
  for unit in "$HUNIT" ${RUNIT:+"$RUNIT"}; do
    [ "$(sd "$unit" "${props[@]}")" = "$want" ] || fail "$unit: $(sd "$unit" "${props[@]}")"
    got=""
    for f in memory.max memory.low memory.high memory.swap.max cpu.weight cpu.max pids.max; do
      got+="$f=$(cat "/sys/fs/cgroup/system.slice/$unit/$f") "
    done
    [ "$got" = "$files" ] || fail "$unit files: $got"
  done
  # the guest's kernel has the io controller but no io.weight (no iocost, no BFQ)
  [ ! -e "/sys/fs/cgroup/system.slice/$HUNIT/io.weight" ] || return 0
  cfg '.linux.resources = {blockIO: {weight: 500}}'
  refused io system.slice '/linux/resources/blockIO/weight*io.weight' ''
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
  local want="/dev/z: No such device or address
can't create /dev/z: Operation not permitted"
  local r id unit allow
  for r in rt ${RUNIT:+ref}; do
    id=$CID unit=$HUNIT
    [ "$r" = rt ] || id=$RUNC_CID unit=$RUNIT
    [ "$(systemctl show -P DevicePolicy "$unit")" = strict ] || fail "$unit: DevicePolicy"
    allow=$(systemctl show -P DeviceAllow "$unit")
    [[ "$allow" == *"/dev/char/1:3 rwm"* ]] || fail "$unit DeviceAllow: $allow"
    if [ "$r" = rt ]; then
      [[ "$allow" == *"/dev/char/42:0 r"* ]] || fail "$unit DeviceAllow: $allow"
      [[ "$allow" != *"/dev/char/42:0 rw"* ]] || fail "$unit DeviceAllow: $allow"
    else
      # runc 1.1.5 leaves out a rule whose /dev/char/M:N node the host lacks (42:0 has none);
      # its eBPF program still enforces it, checked below
      [[ "$allow" != *"/dev/char/42:0"* ]] || fail "$unit DeviceAllow (runc 1.1.5 left 42:0 out): $allow"
    fi
    "$r" start "$id"
    "$r" exec "$id" /bin/sh -c 'head -c1 /dev/null; : >/dev/null' || fail "$r: /dev/null not usable"
    [ "$(dev_access "$r" "$id")" = "$want" ] || fail "$r: $(dev_access "$r" "$id")"
  done
}

@test "systemd: update changes the unit's properties and the cgroup files, as runc" {
  create_both '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 20}, cpu: {shares: 512}}'
  local want="MemoryMax=134217728
CPUWeight=39
TasksMax=30"
  local r id unit d
  for r in rt ${RUNIT:+ref}; do
    id=$CID unit=$HUNIT
    [ "$r" = rt ] || id=$RUNC_CID unit=$RUNIT
    "$r" --systemd-cgroup update --memory 134217728 --pids-limit 30 --cpu-share 1024 "$id"
    [ "$(sd "$unit" MemoryMax CPUWeight TasksMax)" = "$want" ] || fail "$r: $(sd "$unit" MemoryMax CPUWeight TasksMax)"
    d=/sys/fs/cgroup/system.slice/$unit
    [ "$(cat "$d/memory.max") $(cat "$d/pids.max") $(cat "$d/cpu.weight")" = "134217728 30 39" ] ||
      fail "$r: $(cat "$d/memory.max") $(cat "$d/pids.max") $(cat "$d/cpu.weight")"
  done
}

# cycle RUNTIME PREFIX ID: a created container deleted, and one started, paused, resumed and
# deleted with -f while it runs; each delete stops the unit and removes its cgroup, pause and
# resume freeze and thaw the scope's cgroup
cycle() {
  local r=$1 unit=$2-$3.scope
  local d=/sys/fs/cgroup/system.slice/$unit
  at "system.slice:$2:$3"
  created "$r" "$3"
  [ "$(systemctl show -P ActiveState "$unit")" = active ] || fail "$unit not active"
  "$r" --systemd-cgroup delete "$3"
  unit_gone "$unit" "$d"
  unit=$2-$3-r.scope d=/sys/fs/cgroup/system.slice/$2-$3-r.scope
  at "system.slice:$2:$3-r"
  created "$r" "$3-r"
  "$r" start "$3-r"
  "$r" pause "$3-r"
  [ "$("$r" state "$3-r" | jq -r .status)" = paused ] || fail "$r: not paused"
  grep -qx 'frozen 1' "$d/cgroup.events" || fail "$r: $unit not frozen"
  "$r" resume "$3-r"
  [ "$("$r" state "$3-r" | jq -r .status)" = running ] || fail "$r: not running"
  grep -qx 'frozen 0' "$d/cgroup.events" || fail "$r: $unit still frozen"
  "$r" --systemd-cgroup delete -f "$3-r"
  unit_gone "$unit" "$d"
  [ -z "$("$r" list -q)" ] || fail "$r still lists $("$r" list -q)"
}

@test "systemd: delete stops the unit and removes its cgroup (created and running), pause and resume freeze the scope, as runc" {
  cycle rt hullsd "$CID"
  ! have_runc_reference || cycle ref runcsd "$RUNC_CID"
}

@test "systemd: a cgroupsPath that is not slice:prefix:name, a bare \"-\" slice, cpus without cpuset fail before anything is made, naming the field, as runc fails" {
  refused bad =/not/a/slice/path \
    'config.json: /linux/cgroupsPath: "/not/a/slice/path": expected slice:prefix:name with --systemd-cgroup' \
    'slice:prefix:name'
  # "-" is not the root slice ("-.slice"): runc's ExpandSlice refuses it
  refused dash - "config.json: /linux/cgroupsPath: \"-:hullsd:$CID-dash\": \"-\" is not a slice name" \
    'invalid slice name: -'
  if ! grep -qw cpuset /sys/fs/cgroup/cgroup.controllers; then
    cfg '.linux.resources.cpu = {cpus: "0"}'
    refused cpus system.slice '/linux/resources/cpu/cpus*cpuset' ''
  fi
}

@test "systemd: a unit that already exists fails naming it and leaves the other container alone (runc takes it as started)" {
  create_both
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  # a second container asking for the same unit
  at "system.slice:hullsd:$CID"
  snapshot_mounts
  create_to rt "$CID-2"
  [ "$status" -ne 0 ] || fail "second create of $HUNIT succeeded"
  [[ "$output" == *"config.json: /linux/cgroupsPath: \"system.slice:hullsd:$CID\": systemd unit $HUNIT: starting: "*"UnitExists"* ]] ||
    fail "$output"
  assert_nothing_left "$CID-2"
  [ "$(rt state "$CID" | jq -r .status)" = created ]
  [ "$(systemctl show -P ActiveState "$HUNIT")" = active ]
  grep -qx "$pid" "/sys/fs/cgroup/system.slice/$HUNIT/cgroup.procs" || fail "$pid left $HUNIT"
  if have_runc_reference; then
    # runc 1.1.5 takes systemd's UnitExists as success: its second init is in no unit, and
    # deleting that container stops the first one's unit
    at "system.slice:runcsd:$RUNC_CID"
    create_to ref "$RUNC_CID-2"
    [ "$status" -eq 0 ] || fail "runc's second create failed (runc 1.1.5 succeeded): $output"
    local rpid
    rpid=$(ref state "$RUNC_CID-2" | jq -r .pid)
    ! grep -qx "$rpid" "/sys/fs/cgroup/system.slice/$RUNIT/cgroup.procs" ||
      fail "runc's second init joined $RUNIT"
    ref --systemd-cgroup delete -f "$RUNC_CID-2"
    local state
    state=$(systemctl show -P ActiveState "$RUNIT")
    [ "$state" != active ] || fail "deleting runc's second container left $RUNIT active (runc 1.1.5 stopped it)"
  fi
}

@test "systemd: a name ending in .slice makes the container a slice of its own, wanted by its parent (runc 1.1.5 fails)" {
  at "-.slice:hullsd:hullsdtest.slice"
  created rt "$CID"
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  [ "$(cat "/proc/$pid/cgroup")" = "0::/hullsdtest.slice" ] || fail "hull: $(cat "/proc/$pid/cgroup")"
  [ "$(systemctl show -P ActiveState hullsdtest.slice)" = active ]
  [[ " $(systemctl show -P Wants hullsdtest.slice) " == *" -.slice "* ]] ||
    fail "Wants=$(systemctl show -P Wants hullsdtest.slice)"
  if have_runc_reference; then
    # runc 1.1.5 cannot: it hands the slice a PIDs property, which systemd refuses for slices
    at "-.slice:runcsd:runcsdtest.slice"
    create_to ref "$RUNC_CID"
    [ "$status" -ne 0 ] || fail "runc made a slice container (this case expects runc 1.1.5's failure)"
    [[ "$output" == *"Cannot set property PIDs"* ]] || fail "runc: $output"
    ref delete -f "$RUNC_CID" >/dev/null 2>&1 || true
  fi
  rt delete -f "$CID"
  unit_gone hullsdtest.slice /sys/fs/cgroup/hullsdtest.slice
}
