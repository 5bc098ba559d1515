#!/usr/bin/env bats
# linux.seccomp: engine profiles, every action, errno returns, argument comparisons, flags,
# the notify listener, and the filter being loaded after the runtime's own work.

load ../lib/common
load ../lib/bytes
load helpers

setup() { spec_setup; }
teardown() { spec_teardown; }

@test "docker's default profile: busybox runs, unshare and mount get EPERM (as with runc)" {
  use_profile docker-run-true
  set_args sh -c 'echo up; unshare -m true 2>&1; echo unshare=$?; mkdir -p /m; mount -t tmpfs t /m 2>&1; echo mount=$?; grep ^Seccomp: /proc/self/status'
  same_as_runc --copy observe_run
  [ "$status" -eq 0 ]
  [[ "$output" == *"up"* ]]
  [[ "$output" == *"Operation not permitted"* ]]
  [[ "$output" == *"unshare=1"* ]]
  [[ "$output" == *"mount=1"* ]]
  [[ "$output" == *"Seccomp:	2"* ]]
}

@test "podman's default profile (defaultErrnoRet 38): busybox runs, unshare is refused" {
  use_profile podman-run-true
  set_args sh -c 'echo up; unshare -m true 2>&1; echo unshare=$?'
  same_as_runc --copy observe_run
  [ "$status" -eq 0 ]
  [[ "$output" == *"up"* ]]
  [[ "$output" == *"unshare=1"* ]]
}

@test "defaultAction ERRNO with an allow list: what is not listed fails with defaultErrnoRet" {
  use_profile docker-run-true
  # Drop mkdir/mkdirat from the allow list: they fall to the default, EOPNOTSUPP (95).
  cfg '.linux.seccomp.defaultErrnoRet = 95 |
       .linux.seccomp.syscalls |= map(.names -= ["mkdir", "mkdirat"])'
  set_args sh -c 'mkdir /newdir 2>&1; echo mkdir=$?; ls / >/dev/null; echo ls=$?'
  same_as_runc --copy observe_run
  [[ "$output" == *"Operation not supported"* ]]
  [[ "$output" == *"mkdir=1"* ]]
  [[ "$output" == *"ls=0"* ]]
}

@test "SCMP_ACT_ERRNO with errnoRet on one syscall; the rest allowed" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 18}]}'
  set_args sh -c 'mkdir /x 2>&1; echo mkdir=$?; touch /y; echo touch=$?'
  same_as_runc --copy observe_run
  [[ "$output" == *"Invalid cross-device link"* ]]
  [[ "$output" == *"mkdir=1"* ]]
  [[ "$output" == *"touch=0"* ]]
}

@test "SCMP_ACT_ERRNO without errnoRet means EPERM" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO"}]}'
  set_args sh -c 'mkdir /x 2>&1; echo mkdir=$?'
  same_as_runc --copy observe_run
  [[ "$output" == *"Operation not permitted"* ]]
}

@test "argument comparison SCMP_CMP_MASKED_EQ: chmod with the setuid bit is refused, plain chmod works" {
  # chmod(path, mode): mode is argument 1; fchmodat(dirfd, path, mode): argument 2.
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["chmod"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
         args: [{index: 1, value: 2048, valueTwo: 2048, op: "SCMP_CMP_MASKED_EQ"}]},
        {names: ["fchmodat"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
         args: [{index: 2, value: 2048, valueTwo: 2048, op: "SCMP_CMP_MASKED_EQ"}]}]}'
  set_args sh -c 'touch /f; chmod 755 /f; echo plain=$?; chmod 4755 /f 2>/dev/null; echo suid=$?; stat -c %a /f'
  same_as_runc --copy observe_run
  [[ "$output" == *"plain=0"* ]]
  [[ "$output" == *"suid=1"* ]]
  [[ "$output" == *"755"* ]]
}

@test "argument comparisons SCMP_CMP_EQ and SCMP_CMP_GT select by value" {
  # kill(pid, sig): SIGUSR1 (10) refused by EQ; signals above 20 refused by GT.
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["kill"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
         args: [{index: 1, value: 10, op: "SCMP_CMP_EQ"}]},
        {names: ["kill"], action: "SCMP_ACT_ERRNO", errnoRet: 22,
         args: [{index: 1, value: 20, op: "SCMP_CMP_GT"}]}]}'
  set_args sh -c 'trap "" USR1 USR2; kill -0 $$; echo zero=$?; kill -USR1 $$ 2>/dev/null; echo usr1=$?; kill -28 $$ 2>&1; echo winch=$?'
  same_as_runc --copy observe_run
  [[ "$output" == *"zero=0"* ]]
  [[ "$output" == *"usr1=1"* ]]
  [[ "$output" == *"winch=1"* ]]
}

@test "several comparisons of one argument are alternatives (one rule each)" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["kill"], action: "SCMP_ACT_ERRNO", errnoRet: 1,
         args: [{index: 1, value: 10, op: "SCMP_CMP_EQ"}, {index: 1, value: 12, op: "SCMP_CMP_EQ"}]}]}'
  set_args sh -c 'trap "" USR1 USR2; kill -USR1 $$ 2>/dev/null; echo usr1=$?; kill -USR2 $$ 2>/dev/null; echo usr2=$?; kill -0 $$; echo zero=$?'
  same_as_runc --copy observe_run
  [[ "$output" == *"usr1=1"* ]]
  [[ "$output" == *"usr2=1"* ]]
  [[ "$output" == *"zero=0"* ]]
}

@test "SCMP_ACT_KILL_PROCESS, KILL_THREAD, KILL and TRAP end the process with SIGSYS" {
  local action
  for action in SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL_THREAD SCMP_ACT_KILL SCMP_ACT_TRAP; do
    cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
          {names: ["mkdir", "mkdirat"], action: $a}]}' --arg a "$action"
    set_args mkdir /x
    run rt run -b "$BUNDLE" "$CID-$action"
    echo "$action: $status $output"
    # 128 + SIGSYS (31)
    [ "$status" -eq 159 ]
    rt delete -f "$CID-$action" >/dev/null 2>&1 || true
  done
}

@test "SCMP_ACT_LOG allows the call; SCMP_ACT_TRACE with no tracer fails it with ENOSYS" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["mkdir", "mkdirat"], action: "SCMP_ACT_LOG"},
        {names: ["rmdir"], action: "SCMP_ACT_TRACE", errnoRet: 1}]}'
  set_args sh -c 'mkdir /x; echo mkdir=$?; rmdir /x 2>&1; echo rmdir=$?'
  same_as_runc --copy observe_run
  [[ "$output" == *"mkdir=0"* ]]
  [[ "$output" == *"rmdir=1"* ]]
  [[ "$output" == *"Function not implemented"* ]]
}

@test "flags SECCOMP_FILTER_FLAG_LOG and SPEC_ALLOW are accepted and the filter applies" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        flags: ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
        syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 18}]}'
  set_args sh -c 'mkdir /x 2>&1; grep ^Seccomp: /proc/self/status'
  # runc 1.1 refuses flags ("not yet supported"): no reference here.
  run_ctr "$CID"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Invalid cross-device link"* ]]
  [[ "$output" == *"Seccomp:	2"* ]]
}

@test "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV without a notify rule is an error naming flags" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        flags: ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
        syscalls: [{names: ["mkdir"], action: "SCMP_ACT_ERRNO"}]}'
  run_ctr "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/seccomp/flags"* ]]
  left_nothing "$CID"
}

@test "a syscall name unknown to libseccomp is skipped (debug line), the rest applies" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["no_such_syscall_hull", "mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 18}]}'
  set_args sh -c 'mkdir /x 2>&1; echo mkdir=$?'
  run rt --debug --log "$TEST_TMP/log" run -b "$BUNDLE" "$CID"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Invalid cross-device link"* ]]
  if [ "$RUNTIME_NAME" != runc ]; then grep -q no_such_syscall_hull "$TEST_TMP/log"; fi
}

@test "an unknown architecture is an error naming the member; nothing is left behind" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", architectures: ["SCMP_ARCH_PDP11"]}'
  run_ctr "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/seccomp/architectures/0"* ]]
  left_nothing "$CID"
}

@test "an unknown action is an error naming the member; nothing is left behind" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{names: ["mkdir"], action: "SCMP_ACT_EXPLODE"}]}'
  run_ctr "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/seccomp/syscalls/0/action"* ]]
  left_nothing "$CID"
}

@test "an unknown comparison operator is an error naming the member" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [{names: ["kill"],
        action: "SCMP_ACT_ERRNO", args: [{index: 1, value: 1, op: "SCMP_CMP_ROUGHLY"}]}]}'
  run_ctr "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/seccomp/syscalls/0/args/0/op"* ]]
  left_nothing "$CID"
}

@test "errnoRet on an action that has no errno is an error naming errnoRet" {
  [ "$RUNTIME_NAME" != runc ] || skip "runc accepts and ignores it"
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW",
        syscalls: [{names: ["mkdir"], action: "SCMP_ACT_KILL", errnoRet: 5}]}'
  run_ctr "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/seccomp/syscalls/0/errnoRet"* ]]
  left_nothing "$CID"
}

@test "the filter is loaded after the runtime's own work: blocking mount/pivot_root/sethostname does not stop the container" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["mount", "umount2", "pivot_root", "sethostname", "chroot", "keyctl",
                 "openat2", "mknodat", "mknod", "symlinkat", "unshare", "setns", "clone3"],
         action: "SCMP_ACT_ERRNO"}]}'
  set_args sh -c 'hostname; mkdir -p /m; mount -t tmpfs t /m 2>/dev/null; echo mount=$?'
  same_as_runc --copy observe_run
  [ "$status" -eq 0 ]
  [[ "$output" == *"spec"* ]]
  [[ "$output" == *"mount=1"* ]]
}

@test "without noNewPrivileges the filter still loads (while the process is root) and applies" {
  use_profile docker-run-true
  cfg '.process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}'
  set_args sh -c 'id -u; unshare -m true 2>/dev/null; echo unshare=$?; grep ^NoNewPrivs: /proc/self/status'
  same_as_runc --copy observe_run
  [ "$status" -eq 0 ]
  [[ "$output" == *"1000"* ]]
  [[ "$output" == *"unshare=1"* ]]
  [[ "$output" == *"NoNewPrivs:	0"* ]]
}

start_agent() {
  "$SECCOMP_AGENT" "$TEST_TMP/agent.sock" "$TEST_TMP/agent" "$1" &
  AGENT_PID=$!
  local i
  for i in $(seq 100); do [ -S "$TEST_TMP/agent.sock" ] && return 0; sleep 0.05; done
  return 1
}

@test "SCMP_ACT_NOTIFY: the listener fd and the seccomp state reach listenerPath; the agent answers" {
  start_agent 18
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p,
        listenerMetadata: "tenant=42", syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}' \
      --arg p "$TEST_TMP/agent.sock"
  set_args sh -c 'mkdir /x 2>&1; echo mkdir=$?; touch /y; echo touch=$?'
  run_ctr "$CID"
  wait "$AGENT_PID"
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" == *"Invalid cross-device link"* ]]
  [[ "$output" == *"touch=0"* ]]
  [ "$(cat "$TEST_TMP/agent.fds")" = 1 ]
  run jq -r '[.fds[0], .metadata, .state.id, (.pid > 0), (.state.pid == .pid)] | @tsv' "$TEST_TMP/agent.state"
  echo "$output"
  [ "$output" = "seccompFd	tenant=42	$CID	true	true" ]
  # The agent saw the mkdir (83) or mkdirat (258).
  grep -Eq '^(83|258)$' "$TEST_TMP/agent.calls"
}

@test "SCMP_ACT_NOTIFY with nobody listening at listenerPath fails create cleanly" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p,
        syscalls: [{names: ["mkdir"], action: "SCMP_ACT_NOTIFY"}]}' --arg p "$TEST_TMP/nobody.sock"
  run_ctr "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/linux/seccomp/listenerPath"* ]]
  [[ "$output" == *"seccomp agent $TEST_TMP/nobody.sock"* ]]
  [[ "$output" != *"console socket"* ]]
  left_nothing "$CID"
}

# What static busybox needs for `sh -c 'echo ...'`, and the identity calls a runtime makes
# after loading the filter without noNewPrivileges (setgroups/setres[ug]id/capset/prctl),
# plus read and write for the start handshake and execve. No close_range, getcwd, stat,
# openat, sendto: hull must not need them after the load.
MINIMAL='["arch_prctl","brk","execve","exit_group","getpid","getppid","getrandom","getuid",
  "mprotect","newfstatat","prctl","prlimit64","readlink","rseq","rt_sigaction",
  "set_robust_list","set_tid_address","uname","write","read","setgroups","setresgid",
  "setresuid","capget","capset","rt_sigreturn"]'
# What runc's Go init also needs after the load, on top of MINIMAL (none newer than clone3).
RUNC_EXTRA='["close","futex","mmap","munmap","nanosleep","sched_yield","rt_sigprocmask",
  "sigaltstack","gettid","tgkill","madvise","openat","fcntl","getdents64","fstat","fstatfs",
  "statfs","readlinkat","epoll_ctl","epoll_pwait","epoll_create1","pipe2","exit","clone",
  "dup3","getrlimit","sched_getaffinity","geteuid","getegid","getgid","lseek","ioctl",
  "pread64","waitid","wait4","kill","eventfd2","fchown","getcwd","setgid","setuid","chdir","faccessat"]'

allow_only() {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64"],
        syscalls: [{names: $n, action: "SCMP_ACT_ALLOW"}]}' --argjson n "$1"
}

# create + start with the container's output in $TEST_TMP/out.$1; start's in $output/$status.
create_start() {
  local id=$1
  rt create -b "$BUNDLE" "$id" >"$TEST_TMP/out.$id" 2>&1 </dev/null
  run rt start "$id"
  local i
  for i in $(seq 1000); do
    [ "$(rt state "$id" 2>/dev/null | jq -r .status)" = stopped ] && break
    sleep 0.02
  done
}

@test "an allow-list without close_range runs, with and without noNewPrivileges (as with runc)" {
  use_profile docker-run-true
  cfg '.linux.seccomp.syscalls |= map(.names -= ["close_range"]) | .process.cwd = "/tmp"'
  set_args sh -c 'echo up; id -u'
  local nnp
  for nnp in false true; do
    cfg '.process.noNewPrivileges = $v' --argjson v "$nnp"
    same_as_runc --copy observe_run
    echo "nnp=$nnp: $status $output"
    [ "$status" -eq 0 ]
    [ "$output" = "up
0" ]
  done
}

@test "an allow-list without getcwd runs, with and without noNewPrivileges" {
  # runc 1.1.5 refuses it without noNewPrivileges ("failed to verify if current working
  # directory is safe"): it calls getcwd after the load. hull checks the cwd before it.
  use_profile docker-run-true
  cfg '.linux.seccomp.syscalls |= map(.names -= ["getcwd", "close_range"]) | .process.cwd = "/tmp"'
  set_args sh -c 'echo up; id -u'
  [ "$RUNTIME_NAME" != runc ] || skip "runc needs getcwd after the load"
  local nnp
  for nnp in false true; do
    cfg '.process.noNewPrivileges = $v' --argjson v "$nnp"
    run_ctr "$CID-$nnp"
    echo "nnp=$nnp: $status $output"
    [ "$status" -eq 0 ]
    [ "$output" = "up
0" ]
  done
}

@test "a minimal allow-list (busybox and the identity switch only): run and create+start work" {
  # runc cannot run under this profile: its Go init needs futex, openat, close and more
  # after the load (RUNC_EXTRA); hull needs nothing beyond the identity calls.
  allow_only "$MINIMAL"
  set_args sh -c 'echo hi'
  local nnp
  for nnp in false true; do
    cfg '.process.noNewPrivileges = $v | .process.user = {uid: 1000, gid: 1000}' --argjson v "$nnp"
    run_ctr "$CID-run-$nnp"
    echo "run nnp=$nnp: $status $output"
    [ "$status" -eq 0 ]
    [ "$output" = hi ]
    create_start "$CID-cs-$nnp"
    echo "start nnp=$nnp: $status $output; container: $(cat "$TEST_TMP/out.$CID-cs-$nnp")"
    [ "$status" -eq 0 ]
    [ "$(cat "$TEST_TMP/out.$CID-cs-$nnp")" = hi ]
    rt delete "$CID-cs-$nnp"
  done
}

@test "the same minimal allow-list with runc's own extra calls: hull and runc agree" {
  allow_only "$(jq -nc --argjson a "$MINIMAL" --argjson b "$RUNC_EXTRA" '$a + $b')"
  set_args sh -c 'echo hi'
  local nnp
  for nnp in false true; do
    cfg '.process.noNewPrivileges = $v' --argjson v "$nnp"
    same_as_runc --copy observe_run
    [ "$status" -eq 0 ]
    [ "$output" = hi ]
  done
}

@test "an execve the filter refuses: start and run fail with the exec error, not 0" {
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["execve", "execveat"], action: "SCMP_ACT_ERRNO"}]}'
  set_args true
  create_start "$CID"
  echo "start: $status $output"
  # runc's start returns 0 here (the failure only shows in the init's stderr); hull's start
  # reports it, as an engine needs to know the process never ran.
  [ "$status" -ne 0 ]
  [[ "$output" == *"/process/args/0: exec /bin/true: Operation not permitted"* ]]
  rt delete "$CID"
  left_nothing "$CID"
  # run fails as runc's does.
  run_ctr "$CID-run"
  echo "run: $status $output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"exec /bin/true: Operation not permitted"* ]]
  left_nothing "$CID-run"
}

@test "an init killed by the filter before its execve: start and run fail, never 0" {
  # setresuid kills the process: the init dies in the user switch, with no word of its own.
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["setresuid"], action: "SCMP_ACT_KILL_PROCESS"}]} |
       .process.noNewPrivileges = false | .process.user = {uid: 1000, gid: 1000}'
  set_args true
  create_start "$CID"
  echo "start: $status $output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"init exited before it started the process"* ]]
  rt delete "$CID"
  run_ctr "$CID-run"
  echo "run: $status $output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"init exited before it started the process"* ]]
  left_nothing "$CID-run"
}

@test "syscalls newer than the profile's newest get ENOSYS, older unlisted ones the default (as with runc)" {
  cp "$PROBE" "$BUNDLE/rootfs/bin/probe"
  # Nothing in the list is newer than rseq (334): clone3 (435) and 1000 are unknown to it.
  allow_only "$(jq -nc --argjson a "$MINIMAL" --argjson b "$RUNC_EXTRA" '$a + $b')"
  local nr want
  for nr in 435:38 1000:38 95:1; do
    want=${nr#*:}
    set_args probe --quiet --syscall "${nr%:*}"
    same_as_runc --copy observe_run
    [ "$output" = "syscall ${nr%:*}: errno $want" ]
  done
}

@test "a profile that names a syscall newer than clone3 keeps its default for clone3 (as with runc)" {
  cp "$PROBE" "$BUNDLE/rootfs/bin/probe"
  allow_only "$(jq -nc --argjson a "$MINIMAL" --argjson b "$RUNC_EXTRA" '$a + $b + ["faccessat2"]')"
  set_args probe --quiet --syscall 435
  same_as_runc --copy observe_run
  [ "$output" = "syscall 435: errno 1" ]
}

# --- the cache of compiled programs (<root>/~cache~/seccomp) ---------------------------------

cache_dir() { echo "$ROOT_DIR/~cache~/seccomp"; }
# The cache's entries (temporaries start with a dot).
cache_entries() { ls "$(cache_dir)" 2>/dev/null | grep -v '^\.' || true; }

# hf ID LOG ARGS...: the runtime over hull-fault's logging kernel, with --debug into LOG.debug;
# every system call of the seam lands in LOG. libseccomp's compile writes its program to a
# memfd named hull-seccomp through the seam: that line is the proof that it ran.
hf() {
  local log=$1
  shift
  HULL_FAULT_LOG=$log "$HULL_FAULT" --root "$ROOT_DIR" --debug --log "$log.debug" "$@"
}
compiled() { grep -q ' hull-seccomp$' "$1"; }

# filter_of ID LOG: creates and starts a container from $BUNDLE (through hf, logging to LOG),
# prints the filters its process holds as the kernel reads them back, deletes it.
filter_of() {
  local id=$1 log=$2 rc=0
  hf "$log" create -b "$BUNDLE" "$id" </dev/null >/dev/null 2>"$log.err" || { cat "$log.err"; return 1; }
  rt start "$id" || return 1
  "$SECCOMP_DUMP" "$(rt state "$id" | jq .pid)" || rc=$?
  rt delete -f "$id" >/dev/null
  return "$rc"
}

cache_setup() {
  [ -x "${HULL_FAULT:-}" ] && [ -x "${SECCOMP_DUMP:-}" ] || skip "HULL_FAULT and SECCOMP_DUMP (meson test)"
  [ "$RUNTIME_NAME" != runc ] || skip "hull's own cache"
  use_profile docker-run-true
  set_args sleep 1000
}

@test "seccomp cache: the second container loads the program without compiling; the kernel holds the same bytes" {
  cache_setup
  filter_of "$CID-cold" "$TEST_TMP/cold" >"$TEST_TMP/cold.filter"
  compiled "$TEST_TMP/cold" || fail "the first create did not compile"
  grep -q "compiled and cached" "$TEST_TMP/cold.debug"
  [ "$(cache_entries | wc -l)" = 1 ]
  local entry
  entry=$(cache_dir)/$(cache_entries)
  [ "$(stat -c '%a %u %F' "$entry")" = "600 0 regular file" ]
  [ "$(stat -c '%a' "$(cache_dir)")" = 700 ]
  [ "$(stat -c '%a' "$ROOT_DIR/~cache~")" = 700 ]
  grep -q '^filters 1$' "$TEST_TMP/cold.filter"
  [ "$(grep -c '^[0-9a-f]\{4\} ' "$TEST_TMP/cold.filter")" -gt 300 ]

  filter_of "$CID-warm" "$TEST_TMP/warm" >"$TEST_TMP/warm.filter"
  ! compiled "$TEST_TMP/warm" || fail "the second create compiled again"
  grep -q "read from the cache ($entry), not compiled" "$TEST_TMP/warm.debug"
  ! grep -q "level=warning" "$TEST_TMP/warm.debug"
  cmp "$TEST_TMP/cold.filter" "$TEST_TMP/warm.filter"

  # exec reads it too; list shows containers only.
  hf "$TEST_TMP/run" create -b "$BUNDLE" "$CID" </dev/null >/dev/null
  rt start "$CID"
  hf "$TEST_TMP/exec" exec "$CID" true
  ! compiled "$TEST_TMP/exec" || fail "exec compiled"
  [ "$(rt list -q)" = "$CID" ]
  rt delete -f "$CID"
  left_nothing "$CID"
}

@test "seccomp cache: with the program from the cache the container sees what it sees under runc" {
  use_profile docker-run-true
  set_args sh -c 'echo up; unshare -m true 2>&1; echo unshare=$?; mkdir -p /m; mount -t tmpfs t /m 2>&1; echo mount=$?; grep ^Seccomp: /proc/self/status'
  rt run -b "$BUNDLE" "$CID-cold" >/dev/null 2>&1 </dev/null
  [ -n "$(cache_entries)" ] || [ "$RUNTIME_NAME" = runc ]
  same_as_runc --copy observe_run
  [ "$status" -eq 0 ]
  [[ "$output" == *"unshare=1"* ]]
  [[ "$output" == *"mount=1"* ]]
  # and an errno rule and an argument comparison
  cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", syscalls: [
        {names: ["mkdir", "mkdirat"], action: "SCMP_ACT_ERRNO", errnoRet: 18},
        {names: ["kill"], action: "SCMP_ACT_ERRNO", errnoRet: 1, args: [{index: 1, value: 10, op: "SCMP_CMP_EQ"}]}]}'
  set_args sh -c 'trap "" USR1; mkdir /x 2>&1; echo mkdir=$?; kill -USR1 $$ 2>/dev/null; echo usr1=$?; kill -0 $$; echo zero=$?'
  rt run -b "$BUNDLE" "$CID-cold2" >/dev/null 2>&1 </dev/null
  same_as_runc --copy observe_run
  [[ "$output" == *"Invalid cross-device link"* ]]
  [[ "$output" == *"usr1=1"* ]]
  [[ "$output" == *"zero=0"* ]]
}

# spoil_case NAME: damages the cache entry $ENTRY one way; prints the warning expected.
spoil_case() {
  case $1 in
    truncated) truncate -s 50 "$ENTRY"; echo "truncated (50 bytes)" ;;
    cut) truncate -s 100 "$ENTRY"; echo "100 bytes where the header says" ;;
    extended) echo x >>"$ENTRY"; echo "$(stat -c %s "$ENTRY") bytes where the header says" ;;
    flipped-bpf) flip_byte "$ENTRY" 200; echo "digest mismatch" ;;
    flipped-digest) flip_byte "$ENTRY" "$(($(stat -c %s "$ENTRY") - 1))"; echo "digest mismatch" ;;
    magic) flip_byte "$ENTRY" 0; echo "not a cache entry" ;;
    format) flip_byte "$ENTRY" 8; echo "format" ;;
    other-key) cp "$TEST_TMP/other.entry" "$ENTRY"; echo "made for another key" ;;
    mode) chmod 644 "$ENTRY"; echo "mode 0644 lets others in" ;;
    owner) chown 1000 "$ENTRY"; echo "owned by uid 1000, not by uid 0" ;;
    hardlink) ln "$ENTRY" "$TEST_TMP/second-link"; echo "2 links, not one" ;;
    symlink)
      mv "$ENTRY" "$TEST_TMP/good.entry"
      ln -s "$TEST_TMP/good.entry" "$ENTRY"
      echo "a symlink, not followed" ;;
    fifo) rm "$ENTRY"; mkfifo -m 600 "$ENTRY"; echo "not a regular file" ;;
  esac
}

@test "seccomp cache: a damaged, foreign or unsafe entry is never loaded: warned, compiled, rewritten" {
  cache_setup
  # An entry made for another profile, to stand in for this one's.
  cfg '.linux.seccomp.defaultErrnoRet = 95'
  filter_of "$CID-other" "$TEST_TMP/other" >/dev/null
  cp "$(cache_dir)/$(cache_entries)" "$TEST_TMP/other.entry"
  rm "$(cache_dir)"/*
  use_profile docker-run-true
  filter_of "$CID-ref" "$TEST_TMP/ref" >"$TEST_TMP/ref.filter"
  ENTRY=$(cache_dir)/$(cache_entries)
  cp "$ENTRY" "$TEST_TMP/ref.entry"
  local c want
  for c in truncated cut extended flipped-bpf flipped-digest magic format other-key mode owner \
      hardlink symlink fifo; do
    echo "case $c"
    want=$(spoil_case "$c")
    rm -f "$TEST_TMP/$c" "$TEST_TMP/$c.debug"
    filter_of "$CID-$c" "$TEST_TMP/$c" >"$TEST_TMP/$c.filter"
    cat "$TEST_TMP/$c.debug"
    grep "level=warning" "$TEST_TMP/$c.debug" | grep -F "seccomp cache: $ENTRY: $want" |
      grep -q "not used, compiling the filter" || fail "$c: no warning \"$want\""
    compiled "$TEST_TMP/$c" || fail "$c: not compiled again"
    cmp "$TEST_TMP/ref.filter" "$TEST_TMP/$c.filter" || fail "$c: another filter"
    # Rewritten whole: the same bytes, a private regular file again.
    [ "$(stat -c '%a %u %h %F' "$ENTRY")" = "600 0 1 regular file" ] || fail "$c: $(stat "$ENTRY")"
    cmp "$ENTRY" "$TEST_TMP/ref.entry"
    rm -f "$TEST_TMP/second-link"
  done
  # The symlink's target was not written through.
  cmp "$TEST_TMP/good.entry" "$TEST_TMP/ref.entry"
  # The next one loads it again.
  filter_of "$CID-after" "$TEST_TMP/after" >/dev/null
  ! compiled "$TEST_TMP/after"
  [ "$(cache_entries | wc -l)" = 1 ]
}

@test "seccomp cache: an unsafe cache directory is not used nor written; the container still gets its filter" {
  cache_setup
  filter_of "$CID-ref" "$TEST_TMP/ref" >"$TEST_TMP/ref.filter"
  local dir entry c want
  dir=$(cache_dir)
  entry=$dir/$(cache_entries)
  for c in dir-mode dir-owner top-mode top-symlink dir-symlink; do
    echo "case $c"
    rm -rf "$ROOT_DIR/~cache~" "$TEST_TMP/elsewhere"
    mkdir -p "$dir" "$TEST_TMP/elsewhere"
    chmod 700 "$ROOT_DIR/~cache~" "$dir"
    case $c in
      dir-mode) chmod 755 "$dir"; want="$dir: mode 0755 lets others in" ;;
      dir-owner) chown 1000 "$dir"; want="$dir: owned by uid 1000, not by uid 0" ;;
      top-mode) chmod 770 "$ROOT_DIR/~cache~"; want="$ROOT_DIR/~cache~: mode 0770 lets others in" ;;
      top-symlink)
        rm -rf "$ROOT_DIR/~cache~"
        ln -s "$TEST_TMP/elsewhere" "$ROOT_DIR/~cache~"
        want="$ROOT_DIR/~cache~: not a directory" ;;
      dir-symlink)
        rmdir "$dir"
        ln -s "$TEST_TMP/elsewhere" "$dir"
        want="$dir: not a directory" ;;
    esac
    rm -f "$TEST_TMP/$c" "$TEST_TMP/$c.debug"
    filter_of "$CID-$c" "$TEST_TMP/$c" >"$TEST_TMP/$c.filter"
    grep "level=warning" "$TEST_TMP/$c.debug" | grep -qF "seccomp cache: $want" ||
      fail "$c: no warning \"$want\": $(cat "$TEST_TMP/$c.debug")"
    compiled "$TEST_TMP/$c"
    cmp "$TEST_TMP/ref.filter" "$TEST_TMP/$c.filter"
    [ -z "$(ls -A "$TEST_TMP/elsewhere")" ] || fail "$c: wrote through a symlink"
    [ ! -L "$dir" ] && [ -z "$(ls -A "$dir" 2>/dev/null)" ] || [ -L "$dir" ] || fail "$c: wrote into it"
  done
}

@test "seccomp cache: SCMP_ACT_NOTIFY from the cache; the listener goes to this config's listenerPath" {
  [ -x "${HULL_FAULT:-}" ] || skip "HULL_FAULT (meson test)"
  [ "$RUNTIME_NAME" != runc ] || skip "hull's own cache"
  local round sock
  for round in 1 2; do
    # Another path and other metadata the second time: neither is part of the program.
    sock=$TEST_TMP/agent$round.sock
    "$SECCOMP_AGENT" "$sock" "$TEST_TMP/agent$round" 18 &
    AGENT_PID=$!
    local i
    for i in $(seq 100); do [ -S "$sock" ] && break; sleep 0.05; done
    cfg '.linux.seccomp = {defaultAction: "SCMP_ACT_ALLOW", listenerPath: $p,
          listenerMetadata: ("round=" + $r), flags: ["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
          syscalls: [{names: ["mkdir", "mkdirat"], action: "SCMP_ACT_NOTIFY"}]}' \
        --arg p "$sock" --arg r "$round"
    set_args sh -c 'mkdir /x 2>&1; echo mkdir=$?'
    run hf "$TEST_TMP/notify$round" run -b "$BUNDLE" "$CID-$round"
    wait "$AGENT_PID"
    echo "round $round: $status $output"
    [ "$status" -eq 0 ]
    [[ "$output" == *"Invalid cross-device link"* ]]
    [ "$(jq -r .metadata "$TEST_TMP/agent$round.state")" = "round=$round" ]
    grep -Eq '^(83|258)$' "$TEST_TMP/agent$round.calls"
  done
  compiled "$TEST_TMP/notify1"
  ! compiled "$TEST_TMP/notify2" || fail "the second run compiled again"
}
