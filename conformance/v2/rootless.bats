#!/usr/bin/env bats
# Cgroups of a rootless container (issue 15), by runc's rules, with runc rootless as the oracle
# on the same bundles. Runs on the host (suite conformance-rootless-cgroups: cgroup v1 here,
# where a user has no writable cgroup) and in the v2 guest (run-in-guest.sh), where the
# delegated cases give the user a subtree as systemd would (Delegate=yes: the user owns the
# directory and its cgroup.procs, cgroup.subtree_control and cgroup.threads; its shell runs in
# a leaf below it).
#
# The guest's / is the host's own tree: no useradd there (it would write the host's
# /etc/passwd). The guest's user is a copy of passwd and group bind-mounted over the guest's
# own view; on the host lib/rootless.bash makes a real user.

load ../lib/common
load ../lib/cgroups
load ../lib/rootless

setup_file() {
  [ "$(id -u)" = 0 ] || skip "needs root to make the test user"
  command -v setpriv >/dev/null || skip "setpriv (util-linux) is not installed"
  if [ "$(stat -f -c %T /)" = hostfs ]; then
    guest_user_create
  else
    rootless_user_create
  fi
}

teardown_file() {
  [ -n "${RL_USER:-}" ] || return 0
  if [ -n "${RL_GUEST:-}" ]; then guest_user_remove; else rootless_user_remove; fi
}

setup() {
  common_setup
  rootless_bundle "$BUNDLE"
  LOG=$TEST_TMP/hull.log
  RLOG=$TEST_TMP/runc.log
  touch "$LOG" "$RLOG"
  chown "$RL_UID:$RL_GID" "$LOG" "$RLOG"
  # as the user: the state roots are theirs, under TEST_TMP (removed with it)
  USTATE=$TEST_TMP/ustate
  URUNC=$TEST_TMP/urunc
  install -d -m 0700 -o "$RL_UID" -g "$RL_GID" "$USTATE" "$URUNC"
}

teardown() {
  local id
  for id in $(as_user "$RUNTIME" --root "$USTATE" list -q 2>/dev/null); do
    as_user "$RUNTIME" --root "$USTATE" delete --force "$id" >/dev/null 2>&1 || true
  done
  for id in $(as_user runc --root "$URUNC" list -q 2>/dev/null); do
    as_user runc --root "$URUNC" delete --force "$id" >/dev/null 2>&1 || true
  done
  [ -z "${SESSION:-}" ] || undelegate
  common_teardown
}

# ---- the test user in the guest (no writes to the host's /etc) ----

guest_user_create() {
  export RL_GUEST=1 RL_USER=hullrl RL_UID=1700 RL_GID=1700
  export RL_HOME=/home/$RL_USER RL_XDG=/run/user/$RL_UID
  local f
  for f in passwd group; do
    cp "/etc/$f" "$BATS_FILE_TMPDIR/$f"
  done
  echo "$RL_USER:x:$RL_UID:$RL_GID::$RL_HOME:/bin/sh" >>"$BATS_FILE_TMPDIR/passwd"
  echo "$RL_USER:x:$RL_GID:" >>"$BATS_FILE_TMPDIR/group"
  for f in passwd group; do mount --bind "$BATS_FILE_TMPDIR/$f" "/etc/$f"; done
  install -d -m 0700 -o "$RL_UID" -g "$RL_GID" "$RL_HOME"
  mkdir -p /run/user
  install -d -m 0700 -o "$RL_UID" -g "$RL_GID" "$RL_XDG"
}

guest_user_remove() {
  local p
  for p in $(rootless_user_pids "$RL_UID"); do kill -KILL "$p" 2>/dev/null || true; done
  umount /etc/passwd /etc/group 2>/dev/null || true
  rm -rf "$RL_HOME" "$RL_XDG"
}

# ---- a delegated cgroup v2 subtree, as systemd's user@UID.service has ----

# delegate: /sys/fs/cgroup/hull-user-UID-PID owned by the user with memory and pids enabled
# for its children, and a leaf "session" in it for the user's commands (in_session).
delegate() {
  DELEGATED=$CG/hull-user-$RL_UID-$$
  SESSION=$DELEGATED/session
  echo "+memory +pids" >"$CG/cgroup.subtree_control"
  mkdir "$DELEGATED"
  remember_cgroup "$DELEGATED"
  local f
  for f in "" cgroup.procs cgroup.subtree_control cgroup.threads; do
    chown "$RL_UID:$RL_GID" "$DELEGATED${f:+/$f}"
  done
  mkdir "$SESSION"
  remember_cgroup "$SESSION"
  chown -R "$RL_UID:$RL_GID" "$SESSION"
}

# undelegate: everything below the subtree goes (processes first), then the subtree.
undelegate() {
  local d p
  find "$DELEGATED" -depth -type d 2>/dev/null | while read -r d; do
    for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
  done
  find "$DELEGATED" -depth -type d 2>/dev/null | while read -r d; do
    wait_for rmdir "$d" 2>/dev/null || true
  done
  SESSION=
}

# in_session CMD...: CMD as the user, started in the session leaf (root moves the subshell
# there: the user may not write the root cgroup's cgroup.procs, as on a systemd host).
in_session() { (echo "$BASHPID" >"$SESSION/cgroup.procs" && as_user "$@"); }

status_is() { [ "$(urt state "$CID" | jq -r .status)" = "$1" ]; }
urt() { as_user "$RUNTIME" --root "$USTATE" --log "$LOG" "$@"; }
uref() { as_user runc --root "$URUNC" --log "$RLOG" "$@"; }
srt() { in_session "$RUNTIME" --root "$USTATE" --log "$LOG" "$@"; }
sref() { in_session runc --root "$URUNC" --log "$RLOG" "$@"; }

# nothing_left_for ID: no state, no process of the user, no cgroup named for ID.
nothing_left_for() {
  [ ! -e "$USTATE/$1" ] || fail "state dir $USTATE/$1 left"
  [ -z "$(cgroups_mentioning "$1")" ] || fail "cgroups left: $(cgroups_mentioning "$1")"
  # (an init that died shows as a zombie until the host's init reaps it)
  wait_for no_live_user_process || fail "processes left: $(ps -o pid,stat,args -u "$RL_UID")"
}

no_live_user_process() { [ -z "$(ps -o stat= -u "$RL_UID" | grep -v '^Z')" ]; }

# ---- no writable cgroup (the host's v1 as a user; the guest's root cgroup as a user) ----

@test "rootless cgroups: no writable cgroup: runs in the caller's cgroups, warning only in --log, as runc" {
  set_shell 'cat /proc/self/cgroup'
  run urt run -b "$BUNDLE" "$CID"
  echo "hull: $output"
  [ "$status" -eq 0 ]
  [[ "$output" != *warn* ]] || fail "a warning reached the container's stdio"
  local hull_view=$output
  grep -q 'level=warning msg="rootless: no writable cgroup (.* is not writable by uid '"$RL_UID"')' "$LOG" ||
    fail "no warning in --log: $(cat "$LOG")"
  # the container stayed in the cgroups of its caller, as with runc
  [ "$hull_view" = "$(as_user cat /proc/self/cgroup)" ] || fail "caller: $(as_user cat /proc/self/cgroup)"
  run uref run -b "$BUNDLE" "$RUNC_CID"
  [ "$status" -eq 0 ]
  [ "$output" = "$hull_view" ] || fail "runc: $output"
  nothing_left_for "$CID"
}

@test "rootless cgroups: no writable cgroup: a limit fails naming the field, nothing left, as runc" {
  local f field
  for f in 'memory={limit:67108864}|memory/limit' 'pids={limit:20}|pids/limit' \
    'cpu={shares:512}|cpu/shares'; do
    field=${f#*|}
    cfg ".linux.resources.${f%%|*}"
    run urt run -b "$BUNDLE" "$CID"
    echo "hull: $output"
    [ "$status" -ne 0 ]
    [[ "$output" == *"config.json: /linux/resources/$field: a limit needs a cgroup"*"is not writable by uid $RL_UID"* ]]
    nothing_left_for "$CID"
    run uref run -b "$BUNDLE" "$RUNC_CID"
    echo "runc: $output"
    [ "$status" -ne 0 ]
    # v1: "cannot set memory limit: container could not join or create cgroup"; v2: "rootless
    # needs no limits + no cgrouppath when no permission is granted for cgroups"
    [[ "$output" == *"cannot set ${field%%/*} limit: container could not join or create cgroup"* ||
      "$output" == *"rootless needs no limits"* ]]
    cfg 'del(.linux.resources)'
  done
}

@test "rootless cgroups: no writable cgroup: a named cgroupsPath fails naming it, as runc" {
  cfg '.linux.cgroupsPath = $p' --arg p "/$CID"
  run urt run -b "$BUNDLE" "$CID"
  echo "hull: $output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/cgroupsPath: \"/$CID\": "*"is not writable by uid $RL_UID"* ]]
  nothing_left_for "$CID"
  run uref run -b "$BUNDLE" "$RUNC_CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"ermission denied"* ]] || fail "runc: $output"
}

@test "rootless cgroups: device rules are not written (the user could not), as runc" {
  cfg '.linux.resources.devices = [{allow: false, access: "rwm"}, {allow: true, type: "c", major: 1, minor: 3, access: "rwm"}]'
  set_shell 'echo ran'
  run urt run -b "$BUNDLE" "$CID"
  [ "$status" -eq 0 ] || fail "hull: $output"
  [ "$output" = ran ]
  run uref run -b "$BUNDLE" "$RUNC_CID"
  [ "$status" -eq 0 ] || fail "runc: $output"
  [ "$output" = ran ]
}

@test "rootless cgroups: no writable cgroup: pause, update and stats say so; ps lists the pid namespace; kill --all and delete end it" {
  set_args sleep 1000
  urt run -b "$BUNDLE" -d "$CID" </dev/null
  local w pid
  pid=$(urt state "$CID" | jq -r .pid)
  # runc fails here ("lstat : no such file"); hull lists the init's pid namespace
  run urt ps --format json "$CID"
  [ "$status" -eq 0 ] || fail "ps: $output"
  [ "$output" = "[$pid]" ]
  for w in "pause $CID" "update --pids-limit 10 $CID" "events --stats $CID"; do
    # shellcheck disable=SC2086
    run urt $w
    echo "$w: $output"
    [ "$status" -ne 0 ]
    grep -q "has no cgroup" "$LOG" || fail "$w: $(tail -1 "$LOG")"
    : >"$LOG"
  done
  [ "$(urt state "$CID" | jq -r .status)" = running ]
  # runc fails kill --all here ("lstat : no such file"); hull signals the init, whose pid
  # namespace takes the rest with it
  urt kill --all "$CID" KILL
  wait_for status_is stopped
  urt delete "$CID"
  nothing_left_for "$CID"
}

# ---- a delegated cgroup v2 subtree ----

@test "rootless cgroups v2: a delegated subtree takes memory and pids limits next to the caller, as runc" {
  is_v2 || skip "needs pure cgroup v2 (the v2 suite's guest)"
  delegate
  cfg '.linux.resources = {memory: {limit: 67108864}, pids: {limit: 20}, devices: [{allow: false, access: "rwm"}]}'
  set_args sleep 1000
  srt run -b "$BUNDLE" -d "$CID" </dev/null
  # no cgroupsPath: runc's rule, a sibling of the caller's cgroup in the delegated parent
  local d=$DELEGATED/$CID pid
  [ -d "$d" ] || fail "no cgroup $d: $(ls "$DELEGATED")"
  [ "$(cat "$d/memory.max")" = 67108864 ]
  [ "$(cat "$d/pids.max")" = 20 ]
  [ "$(stat -c %u "$d")" = "$RL_UID" ]
  pid=$(urt state "$CID" | jq -r .pid)
  [ "$(cat "/proc/$pid/cgroup")" = "0::${d#"$CG"}" ]
  grep -q warning "$LOG" && fail "warned: $(cat "$LOG")"
  # runc, same bundle
  sref run -b "$BUNDLE" -d "$RUNC_CID" </dev/null
  [ "$(cat "$DELEGATED/$RUNC_CID/memory.max")" = 67108864 ]
  [ "$(cat "$DELEGATED/$RUNC_CID/pids.max")" = 20 ]
  uref delete --force "$RUNC_CID"
  # ps, pause/resume, kill --all in the delegated cgroup
  run urt ps --format json "$CID"
  [ "$status" -eq 0 ] || fail "ps: $output"
  [ "$output" = "[$pid]" ]
  urt pause "$CID"
  [ "$(cat "$d/cgroup.freeze")" = 1 ]
  [ "$(urt state "$CID" | jq -r .status)" = paused ]
  urt resume "$CID"
  [ "$(cat "$d/cgroup.freeze")" = 0 ]
  urt update --pids-limit 30 "$CID"
  [ "$(cat "$d/pids.max")" = 30 ]
  urt kill --all "$CID" KILL
  wait_for status_is stopped
  urt delete "$CID"
  [ ! -d "$d" ] || fail "cgroup $d left"
  nothing_left_for "$CID"
}

@test "rootless cgroups v2: a cgroupsPath inside the delegated subtree is used, one outside fails naming it" {
  is_v2 || skip "needs pure cgroup v2 (the v2 suite's guest)"
  delegate
  cfg '.linux.cgroupsPath = $p | .linux.resources.pids = {limit: 7}' --arg p "${DELEGATED#"$CG"}/mine-$CID"
  set_args sleep 1000
  srt run -b "$BUNDLE" -d "$CID" </dev/null
  [ "$(cat "$DELEGATED/mine-$CID/pids.max")" = 7 ]
  urt delete --force "$CID"
  [ ! -d "$DELEGATED/mine-$CID" ] || fail "cgroup left after delete"
  cfg '.linux.cgroupsPath = $p' --arg p "/outside-$CID"
  run srt run -b "$BUNDLE" "$CID"
  echo "hull: $output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"config.json: /linux/cgroupsPath: \"/outside-$CID\": $CG is not writable by uid $RL_UID"* ]]
  nothing_left_for "$CID"
  run sref run -b "$BUNDLE" "$RUNC_CID"
  [ "$status" -ne 0 ] || fail "runc ran outside the subtree"
}
