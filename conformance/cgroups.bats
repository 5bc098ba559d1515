#!/usr/bin/env bats
# A minimal cgroup per container: made from cgroupsPath (or a default naming the id), holding
# the init's pid in every v1 controller, and gone after delete.

load lib/common

setup() {
  common_setup
  set_args /probe --quiet --sleep 1000
}
teardown() { common_teardown; }

# the v1 controllers mounted on this host (none on a pure cgroup2 host)
v1_controllers() {
  awk '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++)
         if (o[i] ~ /^(cpu|cpuacct|cpuset|memory|devices|freezer|blkio|pids|net_cls|net_prio|hugetlb|perf_event|rdma|misc)$/) print $2 }' \
    /proc/self/mounts | sort -u
}

is_cgroup2_only() { [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; }

@test "cgroups: init is in <controller>/<cgroupsPath> for every controller, removed on delete" {
  local path=/hull-conf-$CID
  cfg '.linux.cgroupsPath = $p' --arg p "$path"
  local dirs=()
  if is_cgroup2_only; then
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

@test "cgroups: --cgroup-manager systemd is --systemd-cgroup (slice:prefix:name)" {
  cfg '.linux.cgroupsPath = $p' --arg p "system.slice:hullconf:$CID"
  # the slice stays after delete (as under runc): remove it in teardown if this test made it
  local h
  for h in /sys/fs/cgroup/*/; do [ -d "${h}system.slice" ] || remember_cgroup "${h}system.slice"; done
  rt --cgroup-manager systemd create -b "$BUNDLE" "$CID"
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  grep -q "system.slice/hullconf-$CID.scope" "/proc/$pid/cgroup" || fail "$(cat "/proc/$pid/cgroup")"
  rt delete -f "$CID"
  [ -z "$(cgroups_mentioning "$CID")" ] || fail "cgroups left: $(cgroups_mentioning "$CID")"
}

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
