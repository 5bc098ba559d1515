#!/usr/bin/env bats
# linux.seccomp: engine profiles, every action, errno returns, argument comparisons, flags,
# the notify listener, and the filter being loaded after the runtime's own work.

load ../lib/common
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
