#!/usr/bin/env bats
# Container-escape classes: leaked fds, the runtime binary, a cwd outside the root, masked
# paths and the /dev/null that masks them, symlinks planted in the rootfs, procfs writes.

load ../lib/common
load helpers

setup() { spec_setup; }
teardown() { spec_teardown; }

@test "an fd the caller left open (no CLOEXEC) does not reach the container" {
  set_args sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "'
  exec 7</etc/hostname
  run_ctr "$CID"
  exec 7<&-
  echo "$output"
  [ "$status" -eq 0 ]
  # 0 1 2 and ls's own directory fd (3).
  [ "$output" = "0 1 2 3 " ]
}

@test "--preserve-fds passes exactly the fds asked for" {
  set_args sh -c 'ls /proc/self/fd | sort -n | tr "\n" " "; cat <&4'
  echo preserved-content >"$TEST_TMP/p"
  # In a child shell: bats itself uses fd 3.
  run sh -c 'exec 3</dev/null 4<"$1" 5</etc/hostname 6</etc/hostname; shift; exec "$@"' sh \
    "$TEST_TMP/p" "$RUNTIME" --root "$ROOT_DIR" run --preserve-fds 3 -b "$BUNDLE" "$CID"
  echo "$output"
  [ "$status" -eq 0 ]
  # 3-5 passed; 6 is ls's own directory fd, which it could not take if 6 had leaked.
  [[ "$output" == "0 1 2 3 4 5 6 preserved-content" ]]
  [[ "$output" == *"preserved-content"* ]]
}

@test "while created, the init is not dumpable: /proc/<init>/exe cannot be opened without CAP_SYS_PTRACE" {
  set_args true
  rt create -b "$BUNDLE" "$CID"
  local pid
  pid=$(rt state "$CID" | jq .pid)
  grep -q . "/proc/$pid/status"
  # Root without capabilities (the container's own root, say) must not reach the binary.
  run setpriv --inh-caps=-all --bounding-set=-all -- readlink "/proc/$pid/exe"
  echo "$status $output"
  [ "$status" -ne 0 ]
  run setpriv --inh-caps=-all --bounding-set=-all -- cat "/proc/$pid/exe"
  [ "$status" -ne 0 ]
}

@test "after start the container process is the user's program, not the runtime" {
  set_args sleep 30
  rt run -d -b "$BUNDLE" "$CID"
  local pid
  pid=$(rt state "$CID" | jq .pid)
  run readlink "/proc/$pid/exe"
  echo "$output"
  [[ "$output" == */bin/busybox ]]
}

@test "a cwd through a magic link to a host directory (leaked-fd class) is refused" {
  mkdir -p "$TEST_TMP/hostdir"
  echo secret >"$TEST_TMP/hostdir/host-file"
  cfg '.process.cwd = "/proc/self/fd/3"'
  set_args sh -c 'pwd; cat host-file'
  run sh -c 'exec 3<"$1"; shift; exec "$@"' sh "$TEST_TMP/hostdir" \
    "$RUNTIME" --root "$ROOT_DIR" run --preserve-fds 1 -b "$BUNDLE" "$CID"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" != *secret* ]]
  [[ "$output" == *"cwd"* ]] || [ "$RUNTIME_NAME" = runc ]
}

@test "a cwd naming any fd of the runtime itself never lands outside the root" {
  local n
  for n in 3 4 5 6 7 8 9 10; do
    cfg '.process.cwd = $c' --arg c "/proc/self/fd/$n"
    set_args sh -c 'ls -a . | tr "\n" " "; pwd'
    run rt run -b "$BUNDLE" "$CID-$n"
    echo "fd $n: $status $output"
    # Either refused, or (a directory inside the root) — never the host's /sys/fs/cgroup, /run, ...
    [[ "$output" != *"cgroup.procs"* ]]
    [[ "$output" != *"(unreachable)"* ]]
    rt delete -f "$CID-$n" >/dev/null 2>&1 || true
  done
}

@test "masked files are the null device 1:3 and masked directories are empty, read-only" {
  set_args sh -c 'stat -c "%t:%T" /proc/keys; wc -c </proc/keys; ls -A /sys/firmware | wc -l; touch /sys/firmware/x 2>/dev/null; echo touch=$?; umount /proc/keys 2>/dev/null; echo umount=$?; stat -c "%t:%T" /proc/keys'
  same_as_runc --copy observe_run
  [ "$status" -eq 0 ]
  [ "$output" = "1:3
0
0
touch=1
umount=1
1:3" ]
}

@test "a /dev/null that is not the null device is refused when masking (masked-path race class)" {
  [ "$RUNTIME_NAME" != runc ] || skip "runc 1.1 does not check"
  mkdir -p "$TEST_TMP/fakedev"
  echo "not null" >"$TEST_TMP/fakedev/null"
  cfg '.mounts |= map(select(.destination != "/dev" and .destination != "/dev/pts")) |
       .mounts += [{destination: "/dev", type: "bind", source: $d, options: ["rbind"]}]' \
    --arg d "$TEST_TMP/fakedev"
  set_args true
  run_ctr "$CID"
  echo "$output"
  [ "$status" -ne 0 ]
  [[ "$output" == *"/dev/null"*"not the null device"* ]]
  left_nothing "$CID"
}

@test "a symlink planted in the rootfs cannot redirect a mount to the host (resolved inside the root)" {
  local target=/tmp/hull-spec-escape-$$
  rm -rf "$target"
  mkdir -p "$BUNDLE/rootfs$target" "$TEST_TMP/vol"
  echo inside >"$TEST_TMP/vol/marker"
  # An absolute symlink and one climbing out with "..": both must stay in the rootfs.
  ln -s "$target" "$BUNDLE/rootfs/evil-abs"
  ln -s "../../../../../../../../..$target" "$BUNDLE/rootfs/evil-rel"
  cfg '.mounts += [{destination: "/evil-abs", type: "bind", source: $v, options: ["rbind"]},
                   {destination: "/evil-rel/sub", type: "bind", source: $v, options: ["rbind"]}]' \
    --arg v "$TEST_TMP/vol"
  set_args sh -c "cat $target/marker; cat $target/sub/marker"
  same_as_runc --copy observe_run
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "inside
inside" ]
  # And nothing was made on the host side of the symlinks.
  [ ! -e "$target" ]
}

@test "a symlink planted at a masked path cannot make masking cover a host file" {
  ln -s /etc/hostname "$BUNDLE/rootfs/etc/masked-link"
  cfg '.linux.maskedPaths += ["/etc/masked-link"]'
  set_args sh -c 'cat /etc/masked-link 2>&1; echo rc=$?'
  run_ctr "$CID"
  [ "$status" -eq 0 ]
  # The host's /etc/hostname is untouched and still readable on the host.
  [ -s /etc/hostname ]
  ! grep -q '^/etc/hostname ' /proc/self/mountinfo
}

@test "oom_score_adj is written through the real procfs, not a file mounted over it (procfs redirect class)" {
  [ "$RUNTIME_NAME" != runc ] || skip "differs in mechanism"
  echo planted >"$TEST_TMP/planted"
  cfg '.process.oomScoreAdj = 123 |
       .mounts += [{destination: "/proc/1/oom_score_adj", type: "bind", source: $f, options: ["bind"]}]' \
    --arg f "$TEST_TMP/planted"
  set_args sleep 30
  rt run -d -b "$BUNDLE" "$CID"
  local pid
  pid=$(rt state "$CID" | jq .pid)
  [ "$(cat "/proc/$pid/oom_score_adj")" = 123 ]
  [ "$(cat "$TEST_TMP/planted")" = planted ]
}

# Finding 2 of issue 10: the HOME lookup read /etc/passwd after the switch to the process's
# user, and its throw unwound out of the init into create's own frames (whose cgroup guard
# then ran inside the init). The lookup now runs while the init is still root, as runc's does.
@test "an /etc/passwd only root can read still gives a uid-1000 process its HOME (read before the user switch)" {
  echo "u:x:1000:1000::/home/u:/bin/sh" >>"$BUNDLE/rootfs/etc/passwd"
  chmod 600 "$BUNDLE/rootfs/etc/passwd"
  cfg '.process.user = {uid: 1000, gid: 1000} | .process.env = ["PATH=/bin"]'
  set_args sh -c 'echo "HOME=$HOME uid=$(id -u)"'
  same_as_runc --copy observe_run
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "HOME=/home/u uid=1000" ]
}

# The same file where even the container's root cannot read it (a user namespace whose root
# is not the file's owner): as runc does, the container starts with HOME=/ and the failure
# is a warning in the --log file, never an error nor a throw out of the init.
@test "an /etc/passwd the container's root cannot read gives HOME=/ with a warning in the log (as runc)" {
  chmod 755 "$TEST_TMP"
  echo "u:x:1000:1000::/home/u:/bin/sh" >>"$BUNDLE/rootfs/etc/passwd"
  chmod 600 "$BUNDLE/rootfs/etc/passwd"
  cfg '.process.user = {uid: 1000, gid: 1000} | .process.env = ["PATH=/bin"]'
  cfg '.linux.namespaces += [{type: "user"}] | .linux.cgroupsPath = $p
    | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
    | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]' --arg p "/$CID"
  set_args sh -c 'echo "HOME=$HOME uid=$(id -u)"'
  run rt --log "$TEST_TMP/hull.log" --log-format json run -b "$BUNDLE" "$CID"
  echo "$status: $output"
  [ "$status" -eq 0 ]
  [ "$output" = "HOME=/ uid=1000" ]
  grep -q '"level":"warning".*/etc/passwd.*Permission denied' "$TEST_TMP/hull.log"
  left_nothing "$CID"
  [ -z "$(find /sys/fs/cgroup -maxdepth 2 -name "$CID")" ]
}
