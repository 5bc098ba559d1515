#!/usr/bin/env bats
# The process object: args, env, cwd, user, umask, rlimits, capabilities, noNewPrivileges,
# oomScoreAdj, each checked in the probe's view and against runc.

load lib/common

setup() { common_setup; }
teardown() { common_teardown; }

# the 64-bit capability mask of the given bit numbers, as /proc/self/status prints it
cap_mask() {
  local m=0 b
  for b in "$@"; do m=$((m | (1 << b))); done
  printf '%016x' "$m"
}

host_has_cap() { (( (0x$(awk '/^CapEff/ {print $2}' /proc/self/status) >> $1) & 1 )); }

@test "process: args are passed verbatim, spaces and quotes included" {
  probe_case -- "two words" 'quote " and \ backslash' "" "ünïcode"
  [ "$(pj '.args | length')" = 6 ]
  [ "$(pj '.args[2]')" = "two words" ]
  [ "$(pj '.args[3]')" = 'quote " and \ backslash' ]
  [ "$(pj '.args[4]')" = "" ]
}

@test "process: env is exactly the config's" {
  cfg '.process.env = ["PATH=/bin", "HOME=/root", "EMPTY=", "SPACED=a b c", "EQ=x=y"]'
  probe_case
  [ "$(pj '.env | sort | join("|")')" = "EMPTY=|EQ=x=y|HOME=/root|PATH=/bin|SPACED=a b c" ]
}

@test "process: cwd that exists" {
  cfg '.process.cwd = "/bin"'
  probe_case
  [ "$(pj .cwd)" = /bin ]
}

@test "process: cwd that does not exist yet is created" {
  cfg '.process.cwd = "/work/made/by/runtime"'
  probe_case
  [ "$(pj .cwd)" = /work/made/by/runtime ]
  [ -d "$BUNDLE/rootfs/work/made/by/runtime" ]
}

@test "process: user uid, gid and additionalGids" {
  cfg '.process.user = {uid: 1000, gid: 1001, additionalGids: [10, 20, 30]}'
  probe_case
  [ "$(pj '[.uid,.euid,.suid] | map(tostring) | join(" ")')" = "1000 1000 1000" ]
  [ "$(pj '[.gid,.egid,.sgid] | map(tostring) | join(" ")')" = "1001 1001 1001" ]
  pj '.groups | map(tostring) | join(" ")' | grep -q '10 20 30'
}

@test "process: a non-root user keeps no capabilities unless ambient" {
  cfg '.process.user = {uid: 1000, gid: 1000}'
  probe_case
  [ "$(pj .caps.eff)" = 0000000000000000 ]
  [ "$(pj .caps.prm)" = 0000000000000000 ]
}

@test "process: umask" {
  cfg '.process.user.umask = 63' # 0077
  probe_case
  [ "$(pj .umask)" = 0077 ]
}

@test "process: rlimits below the host's limits" {
  cfg '.process.rlimits = [
         {type: "RLIMIT_NOFILE", soft: 100, hard: 200},
         {type: "RLIMIT_NPROC", soft: 500, hard: 600},
         {type: "RLIMIT_CORE", soft: 0, hard: 0},
         {type: "RLIMIT_STACK", soft: 1048576, hard: 2097152}]'
  probe_case
  [ "$(pj '.rlimits.RLIMIT_NOFILE | "\(.soft) \(.hard)"')" = "100 200" ]
  [ "$(pj '.rlimits.RLIMIT_NPROC | "\(.soft) \(.hard)"')" = "500 600" ]
  [ "$(pj '.rlimits.RLIMIT_CORE | "\(.soft) \(.hard)"')" = "0 0" ]
  [ "$(pj '.rlimits.RLIMIT_STACK | "\(.soft) \(.hard)"')" = "1048576 2097152" ]
}

@test "process: an rlimit above the host's hard limit without CAP_SYS_RESOURCE fails clearly" {
  host_has_cap 24 && skip "the host has CAP_SYS_RESOURCE, so raising is allowed"
  local hard
  hard=$(ulimit -Hn)
  cfg '.process.rlimits = [{type: "RLIMIT_NOFILE", soft: ($h + 1), hard: ($h + 1)}]' --argjson h "$hard"
  snapshot_mounts
  run rt run -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  echo "$output" | grep -qi 'rlimit' || fail "error does not mention the rlimit: $output"
  assert_nothing_left "$CID"
}

@test "process: all five capability sets as configured" {
  # CHOWN 0, DAC_OVERRIDE 1, KILL 5, SETGID 6, SETUID 7, SETPCAP 8, NET_RAW 13
  cfg '.process.capabilities = {
         bounding: ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_NET_RAW"],
         permitted: ["CAP_CHOWN", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_NET_RAW"],
         effective: ["CAP_CHOWN", "CAP_KILL", "CAP_SETUID"],
         inheritable: ["CAP_CHOWN", "CAP_KILL"],
         ambient: ["CAP_CHOWN", "CAP_KILL"]}'
  probe_case
  [ "$(pj .caps.bnd)" = "$(cap_mask 0 1 5 6 7 8 13)" ]
  [ "$(pj .caps.prm)" = "$(cap_mask 0 5 6 7 13)" ]
  # for uid 0 execve raises the effective set to the permitted one (no file caps, root rules)
  [ "$(pj .caps.eff)" = "$(cap_mask 0 5 6 7 13)" ]
  [ "$(pj .caps.inh)" = "$(cap_mask 0 5)" ]
  [ "$(pj .caps.amb)" = "$(cap_mask 0 5)" ]
}

@test "process: ambient capabilities survive a non-root user" {
  cfg '.process.user = {uid: 1000, gid: 1000}
       | .process.capabilities = {bounding: ["CAP_NET_BIND_SERVICE"], permitted: ["CAP_NET_BIND_SERVICE"],
           effective: ["CAP_NET_BIND_SERVICE"], inheritable: ["CAP_NET_BIND_SERVICE"],
           ambient: ["CAP_NET_BIND_SERVICE"]}'
  probe_case
  [ "$(pj .caps.eff)" = "$(cap_mask 10)" ]
  [ "$(pj .caps.amb)" = "$(cap_mask 10)" ]
}

@test "process: no capabilities at all" {
  cfg '.process.capabilities = {bounding: [], permitted: [], effective: [], inheritable: [], ambient: []}'
  probe_case
  [ "$(pj '[.caps[]] | unique | join(",")')" = 0000000000000000 ]
}

@test "process: a capability the host lacks is dropped with a warning, not an error" {
  host_has_cap 24 && skip "the host has CAP_SYS_RESOURCE; nothing is missing to test with"
  [ "$RUNTIME_NAME" = runc ] && skip "runc 1.1 fails with EPERM on a capability the host lacks"
  cfg '.process.capabilities.bounding += ["CAP_SYS_RESOURCE"] | .process.capabilities.permitted += ["CAP_SYS_RESOURCE"]
       | .process.capabilities.effective += ["CAP_SYS_RESOURCE"]'
  run_probe
  [ "$PROBE_RC" = 0 ] || fail "a capability missing on the host made the run fail"
  (( (0x$(pj .caps.bnd) >> 24) & 1 )) && fail "CAP_SYS_RESOURCE in the bounding set"
  (( (0x$(pj .caps.eff) >> 5) & 1 )) || fail "the other capabilities were lost"
}

# A config whose process asks for CAP_SYS_RESOURCE, which this host's bounding set lacks:
# hull drops it with a warning (runc 1.1 fails with EPERM instead).
warning_config() {
  host_has_cap 24 && skip "the host has CAP_SYS_RESOURCE; nothing is missing to warn about"
  cfg '.process.capabilities |= with_entries(.value += ["CAP_SYS_RESOURCE"])'
}

@test "process: with --log, warnings go to the log file (json), never into the container's output" {
  warning_config
  [ "$RUNTIME_NAME" = runc ] && skip "runc 1.1 fails with EPERM on a capability the host lacks"
  local log=$TEST_TMP/log.json
  set_shell 'echo out; echo err >&2; ls -l /proc/$$/fd/ 2>/dev/null | grep -c log.json || true'
  rt --log "$log" --log-format json run -b "$BUNDLE" "$CID" >"$TEST_TMP/out" 2>"$TEST_TMP/err" </dev/null
  cat "$TEST_TMP/out" "$TEST_TMP/err" "$log"
  [ "$(cat "$TEST_TMP/out")" = "out
0" ]
  [ "$(cat "$TEST_TMP/err")" = err ]
  jq -e -s 'all(.[]; has("level") and has("msg") and has("time"))' "$log"
  jq -e -s 'any(.[]; .level == "warning" and (.msg | contains("CAP_SYS_RESOURCE")))' "$log"
  # exec: the same warning, again only in the log
  set_shell 'sleep 1000'
  rt --log "$log" --log-format json run -d -b "$BUNDLE" "$CID-x" </dev/null >/dev/null 2>"$TEST_TMP/err"
  [ ! -s "$TEST_TMP/err" ] || fail "run -d wrote to stderr: $(cat "$TEST_TMP/err")"
  : >"$log"
  rt --log "$log" --log-format json exec "$CID-x" sh -c 'echo xo; echo xe >&2' >"$TEST_TMP/out" 2>"$TEST_TMP/err"
  [ "$(cat "$TEST_TMP/out")" = xo ]
  [ "$(cat "$TEST_TMP/err")" = xe ]
  jq -e -s 'any(.[]; .level == "warning" and (.msg | contains("CAP_SYS_RESOURCE")))' "$log"
  rt delete -f "$CID-x"
}

@test "process: --log-format text writes logrus-style lines; without --log a warning goes to stderr, as runc's" {
  warning_config
  [ "$RUNTIME_NAME" = runc ] && skip "runc 1.1 fails with EPERM on a capability the host lacks"
  set_shell 'true'
  rt --log "$TEST_TMP/log.txt" run -b "$BUNDLE" "$CID" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err"
  [ ! -s "$TEST_TMP/out" ] && [ ! -s "$TEST_TMP/err" ]
  grep -E '^time="[0-9T:.-]+Z" level=warning msg=".*CAP_SYS_RESOURCE.*"$' "$TEST_TMP/log.txt"
  rt run -b "$BUNDLE" "$CID-b" </dev/null >"$TEST_TMP/out" 2>"$TEST_TMP/err"
  grep -q 'warning.*CAP_SYS_RESOURCE' "$TEST_TMP/err"
}

@test "process: the --log file is never an fd of the container's process or a hook, as under runc" {
  set_shell 'ls -l /proc/$$/fd/ 2>/dev/null | grep -c log || true'
  cfg '.hooks.prestart = [{path: "/bin/sh", args: ["sh", "-c", "ls -l /proc/$$/fd/ > " + $f]}]' \
    --arg f "$TEST_TMP/hook-fds"
  run rt --log "$TEST_TMP/log" run -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -eq 0 ]
  [ "$output" = 0 ]
  [ -s "$TEST_TMP/hook-fds" ]
  ! grep "$TEST_TMP/log" "$TEST_TMP/hook-fds"
  if have_runc_reference; then
    run ref --log "$TEST_TMP/log.runc" run -b "$BUNDLE" "$RUNC_CID" </dev/null
    [ "$output" = 0 ]
  fi
}

@test "process: noNewPrivileges false and true" {
  cfg '.process.noNewPrivileges = false'
  probe_case
  [ "$(pj .no_new_privs)" = 0 ]
  cfg '.process.noNewPrivileges = true'
  CID=$CID-b RUNC_CID=$RUNC_CID-b probe_case
  [ "$(pj .no_new_privs)" = 1 ]
}

@test "process: signals the runtime's caller ignored or blocked are not the container's (run and exec)" {
  [ "$RUNTIME_NAME" = runc ] && skip "runc 1.1 resets SIGHUP and SIGPIPE but hands on an ignored SIGQUIT"
  set_args cat /proc/self/status
  # as under nohup, a daemon that ignores SIGPIPE, or a background job of a script
  (trap '' HUP PIPE QUIT INT; rt run -b "$BUNDLE" "$CID" </dev/null >"$TEST_TMP/run")
  grep -E '^Sig(Ign|Blk)' "$TEST_TMP/run"
  grep -qx $'SigIgn:\t0000000000000000' "$TEST_TMP/run"
  grep -qx $'SigBlk:\t0000000000000000' "$TEST_TMP/run"
  set_args sleep 1000
  rt run -d -b "$BUNDLE" "$CID-x" </dev/null >/dev/null
  (trap '' HUP PIPE QUIT INT; rt exec "$CID-x" cat /proc/self/status </dev/null >"$TEST_TMP/exec")
  rt delete -f "$CID-x"
  grep -E '^Sig(Ign|Blk)' "$TEST_TMP/exec"
  grep -qx $'SigIgn:\t0000000000000000' "$TEST_TMP/exec"
  grep -qx $'SigBlk:\t0000000000000000' "$TEST_TMP/exec"
}

@test "process: oomScoreAdj" {
  cfg '.process.oomScoreAdj = 500'
  probe_case
  [ "$(pj .oom_score_adj)" = 500 ]
}

@test "process: without oomScoreAdj the caller's value is inherited" {
  cfg 'del(.process.oomScoreAdj)'
  probe_case
  [ "$(pj .oom_score_adj)" = "$(cat /proc/self/oom_score_adj)" ]
}

@test "process: the exit code of the process is the exit code of run" {
  set_args /probe --quiet --exit 42
  run rt run -b "$BUNDLE" "$CID"
  [ "$status" = 42 ]
}

@test "process: uid 42 with a cwd only root may enter (/root, 0700) starts there (as runc and crun)" {
  chmod 0700 "$BUNDLE/rootfs/root"
  cfg '.process.user = {uid: 42, gid: 42} | .process.cwd = "/root"'
  probe_case
  [ "$(pj .cwd)" = /root ]
  [ "$(pj .uid)" = 42 ]
}

@test "process: a cwd nobody can enter fails naming /process/cwd; nothing is left behind" {
  snapshot_mounts
  cfg '.process.user = {uid: 42, gid: 42} | .process.cwd = "/etc/passwd"'
  run rt run -b "$BUNDLE" "$CID"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/process/cwd"* ]]
  [[ "$output" == *"/etc/passwd"* ]]
  [[ "$output" == *"Not a directory"* ]]
  assert_nothing_left "$CID"
  if have_runc_reference; then
    run ref run -b "$BUNDLE" "$RUNC_CID"
    [ "$status" -ne 0 ]
  fi
}

@test "process: a non-root user owns its pipe stdio and can reopen /dev/stdout (as with runc)" {
  cfg '.process.user = {uid: 1000, gid: 1000}'
  set_shell 'echo hi >/dev/stdout; echo out=$?; echo err >/dev/stderr; echo errc=$?; stat -L -c %u /dev/stdout'
  # stdout and stderr each a pipe (runc makes its own pipes; hull passes the caller's on).
  ERRFILE=$TEST_TMP/err.hull run bash -c '"$@" 2> >(cat >"$ERRFILE")' _ "$RUNTIME" --root "$ROOT_DIR" run -b "$BUNDLE" "$CID"
  local mine=$output mine_status=$status
  echo "hull ($status): $output / $(cat "$TEST_TMP/err.hull")"
  [ "$status" -eq 0 ]
  [ "$output" = "hi
out=0
errc=0
1000" ]
  [ "$(cat "$TEST_TMP/err.hull")" = err ]
  if have_runc_reference; then
    ERRFILE=$TEST_TMP/err.runc run bash -c '"$@" 2> >(cat >"$ERRFILE")' _ "$RUNC" --root "$RUNC_ROOT" run -b "$BUNDLE" "$RUNC_CID"
    echo "runc ($status): $output"
    [ "$status" = "$mine_status" ]
    [ "$output" = "$mine" ]
  fi
}

@test "process: stdio that is a file or /dev/null keeps its owner" {
  cfg '.process.user = {uid: 1000, gid: 1000}'
  set_shell 'stat -L -c %u /dev/stdout; stat -L -c %u /dev/stdin'
  rt run -b "$BUNDLE" "$CID" >"$TEST_TMP/out" 2>&1 </dev/null
  cat "$TEST_TMP/out"
  [ "$(stat -c %u "$TEST_TMP/out")" = 0 ]
  [ "$(sed -n 2p "$TEST_TMP/out")" = 0 ]
}

@test "process: LSM labels on a host without that LSM are ignored with a warning" {
  [ ! -e /sys/fs/selinux/enforce ] || skip "SELinux is enabled here"
  grep -qs Y /sys/module/apparmor/parameters/enabled && skip "AppArmor is enabled here"
  # Issue 11 asks for crun's way: a label for an LSM that is off is ignored, with a warning.
  # runc 1.1.5 refuses all three on this host instead ("selinux label is specified in
  # config, but selinux is disabled", a failed write of attr/exec, a failed context= mount);
  # crun 1.8.1 cannot run on this hybrid-cgroup host to compare.
  cfg '.process.apparmorProfile = "hull-test-profile" |
       .process.selinuxLabel = "system_u:system_r:container_t:s0" |
       .linux.mountLabel = "system_u:object_r:container_file_t:s0"'
  set_shell 'echo started'
  run rt run -b "$BUNDLE" "$CID"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *started* ]]
  [[ "$output" == *"warning: config.json: /process/apparmorProfile"* ]]
  [[ "$output" == *"warning: config.json: /process/selinuxLabel"* ]]
  [[ "$output" == *"warning: config.json: /linux/mountLabel"* ]]
}
