#!/usr/bin/env bats
# `exec`: a process joining a running container (setns into every namespace, the cgroup and
# the root, forked into the pid namespace), its flags, its exit codes and its errors; and the
# parts of runc's command-line contract that engines and scripts rely on.

load ../lib/common

setup() {
  common_setup
  set_args /bin/sleep 1000
}
teardown() {
  [ -n "${RECV_PID:-}" ] && kill "$RECV_PID" 2>/dev/null
  common_teardown
}

start_container() {
  rt run -d -b "$BUNDLE" "$CID" </dev/null >"$TEST_TMP/run.out" 2>&1 ||
    fail "run -d failed: $(cat "$TEST_TMP/run.out")"
}
init_pid() { rt state "$CID" | jq -r .pid; }
# The init's cgroup: the pids hierarchy's on v1 (hybrid), the unified one on pure cgroup v2
# (the v2 guest, conformance/v2): CG_DIR is where its hierarchies are, CG_LINE its line's prefix
# in /proc/PID/cgroup.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then
  CG_DIR=/sys/fs/cgroup CG_LINE=0::
else
  CG_DIR=/sys/fs/cgroup/pids CG_LINE=:pids:
fi
cgroup_procs() { rt state "$CID" >/dev/null && cat "$CG_DIR$(cg_path)/cgroup.procs"; }
cg_path() { grep -F "$CG_LINE" "/proc/$(init_pid)/cgroup" | sed "s/^[0-9]*$CG_LINE//"; }

@test "exec: joins every namespace and the cgroup of the init, lands in its pid namespace" {
  start_container
  local pid ns
  pid=$(init_pid)
  run rt exec "$CID" sh -c 'for n in mnt pid net ipc uts cgroup; do readlink /proc/self/ns/$n; done; echo $$; cat /proc/self/cgroup'
  [ "$status" -eq 0 ]
  local i=0
  for ns in mnt pid_for_children net ipc uts cgroup; do
    [ "${lines[$i]}" = "$(readlink "/proc/$pid/ns/${ns/pid_for_children/pid}")" ] ||
      fail "$ns: exec sees ${lines[$i]}"
    i=$((i + 1))
  done
  # a small pid of the container's pid namespace, not the host's
  [ "${lines[6]}" -lt 100 ]
  [[ "$output" == *"$CG_LINE$(cg_path)"* ]]
}

@test "exec: without a pid namespace of its own, one process joins the rest; errors still arrive" {
  cfg '.linux.namespaces |= map(select(.type != "pid"))'
  start_container
  local pid
  pid=$(init_pid)
  run rt exec "$CID" sh -c 'for n in mnt pid net ipc uts; do readlink /proc/self/ns/$n; done; cat /proc/self/cgroup; exit 7'
  [ "$status" -eq 7 ] || fail "$output"
  [ "${lines[0]}" = "$(readlink "/proc/$pid/ns/mnt")" ]
  [ "${lines[1]}" = "$(readlink /proc/self/ns/pid)" ]
  [ "${lines[2]}" = "$(readlink "/proc/$pid/ns/net")" ]
  [ "${lines[3]}" = "$(readlink "/proc/$pid/ns/ipc")" ]
  [ "${lines[4]}" = "$(readlink "/proc/$pid/ns/uts")" ]
  [[ "$output" == *"$CG_LINE$(cg_path)"* ]]
  local before
  before=$(cgroup_procs | sort)
  run rt exec "$CID" no-such-command
  [ "$status" -eq 1 ]
  [[ "$output" == *'exec: "no-such-command": executable file not found in $PATH'* ]]
  [ "$(cgroup_procs | sort)" = "$before" ]
  rt exec -d --pid-file "$TEST_TMP/pid" "$CID" sleep 1000
  [ "$(readlink "/proc/$(cat "$TEST_TMP/pid")/ns/mnt")" = "$(readlink "/proc/$pid/ns/mnt")" ]
}

@test "exec: sees the container's root, not the host's" {
  start_container
  echo marker >"$BUNDLE/rootfs/only-in-container"
  run rt exec "$CID" sh -c 'cat /only-in-container; pwd; ls /probe'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = marker ]
  [ "${lines[1]}" = / ]
}

@test "exec: nothing shows in the container's /proc before it has the container's mount namespace" {
  # A process in the container's pid namespace that still has the host's mount namespace or
  # root is a way out: a container with CAP_SYS_PTRACE could open its /proc/PID/root. The
  # init watches /proc (with CAP_SYS_PTRACE, so a non-dumpable setup cannot hide from it)
  # while exec runs again and again; it reports every pid it saw with another mount
  # namespace or root. The same case passes under runc.
  [ "$(jq '[.linux.namespaces[] | select(.type == "pid")] | length' "$BUNDLE/config.json")" = 1 ]
  set_args /probe --watch-mnt /watch-stop
  cfg '.process.capabilities.bounding += ["CAP_SYS_PTRACE"]
       | .process.capabilities.effective += ["CAP_SYS_PTRACE"]
       | .process.capabilities.permitted += ["CAP_SYS_PTRACE"]'
  start_container
  while ! grep -q '^probe: watching' "$TEST_TMP/run.out"; do sleep 0.02; done
  local i n=40 report
  for ((i = 0; i < n; i++)); do
    rt exec "$CID" /bin/sleep 0.05 || fail "exec $i failed"
  done
  touch "$BUNDLE/rootfs/watch-stop"
  while ! grep -q '"seen"' "$TEST_TMP/run.out"; do sleep 0.02; done
  report=$(grep '"seen"' "$TEST_TMP/run.out")
  echo "# $report" >&3
  [ "$(jq -c .foreign <<<"$report")" = "[]" ] ||
    fail "in the container's /proc with another mount namespace or root: $report"
  [ "$(jq .denied <<<"$report")" = 0 ] || fail "the watcher could not inspect a process: $report"
  # the watcher saw the exec'd processes at all (each lives 50 ms)
  [ "$(jq .seen <<<"$report")" -ge $((n / 2)) ] || fail "the watcher missed the execs: $report"
}

@test "exec: the exit code comes back, 128+N when signal N ends the process" {
  start_container
  run rt exec "$CID" sh -c 'exit 42'
  [ "$status" -eq 42 ]
  run rt exec "$CID" sh -c 'kill -9 $$'
  [ "$status" -eq 137 ]
  run rt exec "$CID" true
  [ "$status" -eq 0 ]
}

@test "exec: everything after the id is the command, its flags included; -- is accepted" {
  start_container
  run rt exec "$CID" echo -t --cwd /x -e A=1
  [ "$output" = "-t --cwd /x -e A=1" ]
  run rt exec "$CID" -- sh -c 'echo dashes'
  [ "$output" = dashes ]
  run rt exec -- "$CID" sh -c 'echo before-id'
  [ "$output" = before-id ]
}

@test "exec: --env adds and overrides, PATH from the config survives" {
  cfg '.process.env = ["PATH=/bin:/sbin", "KEEP=1", "OVER=old"]'
  start_container
  run rt exec -e OVER=new -e NEW=x "$CID" sh -c 'echo $PATH $KEEP $OVER $NEW'
  [ "$status" -eq 0 ]
  [ "$output" = "/bin:/sbin 1 new x" ]
}

@test "exec: --cwd, --user uid:gid and --additional-gids" {
  start_container
  run rt exec --cwd /tmp -u 1000:1001 -g 5 -g 6 "$CID" sh -c 'pwd; id -u; id -g; id -G'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = /tmp ]
  [ "${lines[1]}" = 1000 ]
  [ "${lines[2]}" = 1001 ]
  [[ " ${lines[3]} " == *" 5 "* ]]
  [[ " ${lines[3]} " == *" 6 "* ]]
}

@test "exec: --cap adds a capability, --no-new-privs sets the bit" {
  cfg '.process.noNewPrivileges = false'
  start_container
  run rt exec "$CID" sh -c 'grep -E "^(CapEff|NoNewPrivs)" /proc/self/status'
  local before=$output
  [[ "$before" == *"NoNewPrivs:	0"* ]]
  run rt exec --cap CAP_SYS_ADMIN --no-new-privs "$CID" sh -c 'grep -E "^(CapEff|NoNewPrivs)" /proc/self/status'
  [[ "$output" == *"NoNewPrivs:	1"* ]]
  local eff
  eff=$(echo "$output" | awk '/CapEff/ { print $2 }')
  # CAP_SYS_ADMIN is bit 21
  (( (0x$eff >> 21) & 1 ))
  run rt exec --cap sys_nice "$CID" true
  [ "$status" -eq 0 ]
}

@test "exec: the config's seccomp filter applies to exec'd processes too" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 1}]}'
  start_container
  run rt exec "$CID" mkdir /tmp/denied
  [ "$status" -ne 0 ]
  [[ "$output" == *"Operation not permitted"* ]]
  run rt exec "$CID" grep Seccomp: /proc/self/status
  [[ "$output" == *"Seccomp:	2"* ]]
}

@test "exec: --apparmor on a host without AppArmor is ignored with a warning naming the profile" {
  [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ] && skip "AppArmor is enabled here"
  # Issue 11: a label for an LSM that is off is ignored, as crun does (runc 1.1.5 refuses).
  start_container
  run rt exec --apparmor hull-test "$CID" echo ran
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *ran* ]]
  [[ "$output" == *"warning: "*"apparmorProfile: \"hull-test\" ignored"* ]]
}

@test "exec: --process runs a process.json given by a relative path" {
  start_container
  jq -n '{terminal: false, user: {uid: 7, gid: 8}, args: ["sh", "-c", "echo $X; id -u; pwd"],
          env: ["PATH=/bin", "X=from-file"], cwd: "/tmp"}' >"$TEST_TMP/process.json"
  cd "$TEST_TMP"
  run rt exec --process process.json "$CID"
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = from-file ]
  [ "${lines[1]}" = 7 ]
  [ "${lines[2]}" = /tmp ]
}

@test "exec: a bad --process file is an error naming it, and nothing is left running" {
  start_container
  echo '{"args": "sh"}' >"$TEST_TMP/bad.json"
  local before
  before=$(cgroup_procs | wc -l)
  run rt exec --process "$TEST_TMP/bad.json" "$CID"
  [ "$status" -eq 1 ]
  [[ "$output" == *"$TEST_TMP/bad.json"* ]]
  [[ "$output" == *args* ]]
  [ "$(cgroup_procs | wc -l)" -eq "$before" ]
}

@test "exec: --detach --pid-file (relative) writes the pid, digits only, of a process in the container" {
  start_container
  cd "$TEST_TMP"
  rt exec -d --pid-file exec.pid "$CID" sleep 999
  [ -s exec.pid ]
  grep -qxE '[0-9]+' exec.pid
  [ "$(tail -c 1 exec.pid | od -An -c | tr -d ' ')" != '\n' ]
  local pid
  pid=$(cat exec.pid)
  [ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "sleep 999 " ]
  grep -qx "$pid" <(cgroup_procs)
  [ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink "/proc/$(init_pid)/ns/pid")" ]
}

@test "exec: -t gives a pty even when stdin is not a terminal" {
  start_container
  run rt exec -t "$CID" tty </dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == */dev/pts/* ]]
}

@test "exec: -t in the foreground under script, exit code through the pty" {
  command -v script >/dev/null || skip "script (util-linux) not installed"
  start_container
  run script -qec "$RUNTIME --root $ROOT_DIR exec -t $CID sh -c 'tty; echo in-exec; exit 3'" /dev/null </dev/null
  [ "$status" -eq 3 ]
  [[ "$output" == *in-exec* ]]
  [[ "$output" == */dev/pts/* ]]
}

@test "exec: -t -d --console-socket hands the pty master over" {
  [ -x "${RECVTTY:-}" ] || skip "RECVTTY not built"
  start_container
  SOCK=$TEST_TMP/console.sock
  "$RECVTTY" "$SOCK" >"$TEST_TMP/tty.out" 2>"$TEST_TMP/tty.err" </dev/null &
  RECV_PID=$!
  while [ ! -S "$SOCK" ]; do sleep 0.01; done
  rt exec -t -d --console-socket "$SOCK" "$CID" sh -c 'tty; echo via-socket'
  wait "$RECV_PID" || true
  RECV_PID=
  grep -q via-socket "$TEST_TMP/tty.out"
  grep -q '^/dev/pts/' "$TEST_TMP/tty.out"
}

@test "exec: a terminal with --detach and no --console-socket is an error" {
  start_container
  run rt exec -t -d "$CID" true
  [ "$status" -eq 1 ]
  [[ "$output" == *console-socket* ]]
}

@test "exec: --preserve-fds passes fds from 3 on" {
  start_container
  echo passed-through >"$TEST_TMP/fd3"
  run rt exec --preserve-fds 1 "$CID" sh -c 'cat <&3' 3<"$TEST_TMP/fd3"
  [ "$output" = passed-through ]
  # without it, fd 3 is closed before the program starts
  run rt exec "$CID" sh -c 'cat <&3' 3<"$TEST_TMP/fd3"
  [ "$status" -ne 0 ]
}

@test "exec: signals sent to a foreground exec reach the process" {
  start_container
  "$RUNTIME" --root "$ROOT_DIR" exec "$CID" sh -c \
    'trap "echo got-term; exit 0" TERM; echo ready; while :; do sleep 0.1; done' >"$TEST_TMP/out" 2>&1 &
  local exec_pid=$!
  while ! grep -q ready "$TEST_TMP/out"; do sleep 0.02; done
  kill -TERM "$exec_pid"
  wait "$exec_pid"
  grep -q got-term "$TEST_TMP/out"
}

@test "exec: --cgroup runs in an existing sub-cgroup; a missing one is an error" {
  start_container
  local d
  for d in /sys/fs/cgroup/*"$(cg_path)" "$CG_DIR$(cg_path)"; do
    [ -d "$d" ] && [ ! -d "$d/sub" ] && mkdir "$d/sub" && remember_cgroup "$d/sub"
  done
  # a new v1 cpuset cgroup is empty until given cpus and mems
  d=$(echo /sys/fs/cgroup/cpuset"$(cg_path)")
  if [ -f "$d/cpuset.cpus" ]; then
    cat "$d/cpuset.cpus" >"$d/sub/cpuset.cpus"
    cat "$d/cpuset.mems" >"$d/sub/cpuset.mems"
  fi
  run rt exec --cgroup sub "$CID" cat /proc/self/cgroup
  [ "$status" -eq 0 ] || fail "$output"
  [[ "$output" == *"$CG_LINE$(cg_path)/sub"* ]] || fail "$output"
  run rt exec --cgroup nosuch "$CID" true
  [ "$status" -eq 1 ]
  [[ "$output" == *nosuch* ]]
}

@test "exec: works in a container with its own user namespace" {
  cfg '.linux.namespaces += [{type: "user"}]
       | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
       | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
  start_container
  run rt exec "$CID" sh -c 'id -u; cat /proc/self/uid_map'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 0 ]
  [ "$(echo "${lines[1]}" | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ]
  [ "$(readlink "/proc/$(init_pid)/ns/user")" != "$(readlink /proc/self/ns/user)" ]
}

@test "exec: joins the container's time namespace and sees its offsets" {
  # hull's joiner forks here instead of sharing the CLI's memory: setns into a time namespace
  # refuses a process whose memory another one shares.
  [ -e /proc/self/ns/time ] || skip "kernel has no time namespaces"
  if [ "$RUNTIME_NAME" = runc ] && ! runc features 2>/dev/null | jq -e '.linux.namespaces | index("time")' >/dev/null; then
    skip "this runc does not support time namespaces"
  fi
  cfg '.linux.namespaces += [{type: "time"}]
       | .linux.timeOffsets = {boottime: {secs: 1728000, nanosecs: 0}}'
  start_container
  run rt exec "$CID" sh -c 'cut -d. -f1 /proc/uptime; readlink /proc/self/ns/time; ls /proc/self/fd'
  [ "$status" -eq 0 ] || fail "exec: $output"
  [ "${lines[0]}" -ge 1728000 ] || fail "uptime without the offset: ${lines[0]}"
  [ "${lines[1]}" = "$(readlink "/proc/$(init_pid)/ns/time")" ]
  [ "${lines[1]}" != "$(readlink /proc/self/ns/time)" ]
  # 0-2, and 3: ls's own directory of /proc/self/fd
  [ "$(echo "${lines[@]:2}" | tr ' ' ,)" = 0,1,2,3 ] || fail "fds: ${lines[*]:2}"
}

@test "exec: a command not found is runc's message, exit 1, nothing left in the cgroup" {
  start_container
  local before
  before=$(cgroup_procs | sort)
  run rt exec "$CID" no-such-command
  [ "$status" -eq 1 ]
  [[ "$output" == *'exec: "no-such-command": executable file not found in $PATH'* ]]
  run rt exec "$CID" /etc/passwd
  [ "$status" -eq 1 ]
  [[ "$output" == *'exec: "/etc/passwd": permission denied'* ]]
  [ "$(cgroup_procs | sort)" = "$before" ]
}

@test "exec: the error goes to --log as a JSON line with level error" {
  start_container
  run rt --log "$TEST_TMP/log.json" --log-format json exec "$CID" no-such-command
  [ "$status" -eq 1 ]
  jq -e 'select(.level == "error") | .msg | contains("executable file not found")' \
    "$TEST_TMP/log.json" >/dev/null
}

@test "exec: a missing, a stopped and a paused container are clear errors" {
  run rt exec nosuch-$CID true
  [ "$status" -eq 1 ]
  [[ "$output" == *"does not exist"* ]]
  start_container
  rt pause "$CID"
  run rt exec "$CID" true
  [ "$status" -eq 1 ]
  [[ "$output" == *paused* ]]
  rt resume "$CID"
  rt kill "$CID" KILL
  wait_status "$CID" stopped
  run rt exec "$CID" true
  [ "$status" -eq 1 ]
  [[ "$output" == *"not running"* ]]
}

@test "exec: no command and no --process is an error" {
  start_container
  run rt exec "$CID"
  [ "$status" -eq 1 ]
  [[ "$output" == *"no command"* ]]
  run rt exec -u abc "$CID" true
  [ "$status" -eq 1 ]
  [[ "$output" == *"--user"* ]]
  run rt exec -e NOEQUALS "$CID" true
  [ "$status" -eq 1 ]
  [[ "$output" == *"--env"* ]]
}

@test "exec into a created container runs before the init starts" {
  rt create -b "$BUNDLE" "$CID" </dev/null >/dev/null 2>&1
  run rt exec "$CID" sh -c 'echo early'
  [ "$output" = early ]
  [ "$(rt state "$CID" | jq -r .status)" = created ]
}

@test "cli: flags after the container id" {
  start_container
  run rt state "$CID"
  [ "$status" -eq 0 ]
  rt kill "$CID" KILL --all
  wait_status "$CID" stopped
  rt delete "$CID" --force
  run rt state "$CID"
  [ "$status" -ne 0 ]
}

@test "cli: delete --force of a container that is already gone succeeds; without it fails" {
  run rt delete --force "gone-$CID"
  [ "$status" -eq 0 ]
  run rt delete "gone-$CID"
  [ "$status" -eq 1 ]
}

@test "cli: kill, delete and state work with no PATH in the environment (podman's way)" {
  start_container
  run env -i "$RUNTIME" --root "$ROOT_DIR" kill "$CID" KILL
  [ "$status" -eq 0 ]
  wait_status "$CID" stopped
  run env -i "$RUNTIME" --root "$ROOT_DIR" delete "$CID"
  [ "$status" -eq 0 ]
  assert_nothing_left "$CID"
}

@test "cli: create --pid-file and --console-socket are relative to the caller's cwd" {
  [ -x "${RECVTTY:-}" ] || skip "RECVTTY not built"
  cfg '.process.terminal = true | .process.args = ["sh", "-c", "echo rel-ok"]'
  cd "$TEST_TMP"
  "$RECVTTY" console.sock >tty.out 2>tty.err </dev/null &
  RECV_PID=$!
  while [ ! -S console.sock ]; do sleep 0.01; done
  rt create --pid-file rel.pid --console-socket console.sock -b "$BUNDLE" "$CID"
  grep -qxE '[0-9]+' rel.pid
  [ "$(cat rel.pid)" = "$(init_pid)" ]
  rt start "$CID"
  wait "$RECV_PID" || true
  RECV_PID=
  grep -q rel-ok tty.out
}

@test "features: JSON with the namespaces, capabilities, hooks and mount options hull supports" {
  run rt features
  [ "$status" -eq 0 ]
  echo "$output" | jq -e '.ociVersionMin == "1.0.0"' >/dev/null
  echo "$output" | jq -e '.linux.namespaces | index("user") and index("cgroup") and index("time")' >/dev/null
  echo "$output" | jq -e '.linux.capabilities | index("CAP_SYS_ADMIN") and index("CAP_CHOWN")' >/dev/null
  echo "$output" | jq -e '.hooks == ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]' >/dev/null
  echo "$output" | jq -e '.mountOptions | index("rbind") and index("rro") and index("nosuid")' >/dev/null
  echo "$output" | jq -e '.linux.cgroup.v1 and .linux.cgroup.v2' >/dev/null
}

@test "features: every mount option it lists is one a container can use" {
  local opt
  for opt in $(rt features | jq -r '.mountOptions[]' | grep -vE '^(remount|bind|rbind)$'); do
    cfg '.mounts += [{destination: $d, type: "tmpfs", source: "tmpfs", options: [$o]}]' \
      --arg d "/mnt-$opt" --arg o "$opt"
  done
  set_args /bin/true
  run rt run -b "$BUNDLE" "$CID"
  [ "$status" -eq 0 ] || fail "$output"
}
