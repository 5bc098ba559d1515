#!/usr/bin/env bats
# containerd (Debian's) driving hull through its runc shim (io.containerd.runc.v2 with
# BinaryName, what `ctr --runc-binary` and a Kubernetes RuntimeClass both set), with a
# private root/state/socket and the CRI plugin off; the image is made with umoci and skopeo.

load engines

IMAGE=localhost/busybox:hull
NS=${NS:-hulleng$$}

setup_file() {
  engines_require containerd ctr containerd-shim-runc-v2 umoci skopeo
  sandbox_start
  export ENG_TMP HOLDER NS
  local w=$ENG_TMP
  cat >"$w/containerd.toml" <<CONF
version = 2
root = "$w/containerd/root"
state = "$w/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$w/containerd.sock"
[ttrpc]
  address = "$w/containerd.sock.ttrpc"
[debug]
  address = "$w/containerd-debug.sock"
[plugins."io.containerd.internal.v1.opt"]
  path = "$w/containerd/opt"
CONF
  snapshot_cgroups "$NS"
  start_daemon containerd "$w/containerd.log" containerd --config "$w/containerd.toml"
  wait_for c version || { cat "$w/containerd.log" >&2; return 1; }
  make_image
}

teardown_file() {
  [ -n "${ENG_TMP:-}" ] || return 0
  remove_all
  stop_daemon containerd
  sandbox_stop "$NS"
}

teardown() { remove_all; }

c() { sb ctr -a "$ENG_TMP/containerd.sock" -n "$NS" "$@"; }
run_hull() { c run --runc-binary "$RUNTIME" "$@"; }

remove_all() {
  local t
  for t in $(c task ls -q 2>/dev/null); do
    c task kill -a -s KILL "$t" >/dev/null 2>&1
    c task delete -f "$t" >/dev/null 2>&1
  done
  for t in $(c container ls -q 2>/dev/null); do c container delete "$t" >/dev/null 2>&1; done
  return 0
}

# An OCI image from umoci (busybox rootfs, PATH, cmd), as a docker-archive for `ctr import`.
make_image() {
  local w=$ENG_TMP
  make_rootfs "$w/rootfs"
  umoci init --layout "$w/oci"
  umoci new --image "$w/oci:bb"
  umoci unpack --image "$w/oci:bb" "$w/unpacked"
  cp -a "$w/rootfs/." "$w/unpacked/rootfs/"
  umoci repack --image "$w/oci:bb" "$w/unpacked"
  umoci config --image "$w/oci:bb" --config.env PATH=/bin:/sbin --config.cmd sh
  skopeo copy -q "oci:$w/oci:bb" "docker-archive:$w/bb.tar:$IMAGE"
  c image import "$w/bb.tar" >/dev/null
  rm -rf "$w/unpacked"
}

task_status() { c task ls | awk -v t="$1" '$1 == t { print $3 }'; }
task_pid() { c task ls | awk -v t="$1" '$1 == t { print $2 }'; }

@test "ctr run --rm through hull returns the exit code; cgroupsPath is /<namespace>/<id>" {
  run run_hull --rm "$IMAGE" rm1 sh -c 'cat /proc/self/cgroup; exit 4'
  [ "$status" -eq 4 ]
  [[ "$output" == *"/$NS/rm1"* ]]
  run c container ls -q
  [ -z "$output" ]
}

# ls exec'd in place of the container's process holds exactly what the process got, plus
# its own directory fd (3). Listing the shell's fds from a pipeline raced with the shell
# making the pipeline's pipes (it showed "0 1 2 3 4 5" under load).
@test "the shim's fd 3 does not reach the container" {
  run run_hull --rm "$IMAGE" fd1 sh -c 'exec ls /proc/self/fd'
  [ "$status" -eq 0 ]
  [ "$(echo $output)" = "0 1 2 3" ]
}

@test "ctr run -d, task exec (with and without a tty), pause/resume, kill, delete" {
  run_hull -d "$IMAGE" life sleep 1000
  [ "$(task_status life)" = RUNNING ]
  run c task exec --exec-id e1 life sh -c 'echo from-exec; echo $PATH'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = from-exec ]
  [ "${lines[1]}" = /bin:/sbin ]
  run sb script -qec "ctr -a $ENG_TMP/containerd.sock -n $NS task exec -t --exec-id e2 life sh -c 'tty; echo tty-ok'" /dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *"/dev/pts/"* ]]
  [[ "$output" == *tty-ok* ]]
  run c task exec --exec-id e3 life sh -c 'exit 9'
  [ "$status" -eq 9 ]
  c task pause life
  [ "$(task_status life)" = PAUSED ]
  c task resume life
  [ "$(task_status life)" = RUNNING ]
  c task kill -s TERM life
  # sleep as pid 1 ignores SIGTERM: still running
  sleep 0.3
  [ "$(task_status life)" = RUNNING ]
  c task kill -s KILL life
  wait_until sh -c "[ \"\$(ctr -a $ENG_TMP/containerd.sock -n $NS task ls | awk '\$1 == \"life\" { print \$3 }')\" = STOPPED ]"
  c task delete life
  c container delete life
  run c container ls -q
  [ -z "$output" ]
}

@test "ctr run -t through a pty, also with stdin not a terminal" {
  run sb script -qec "ctr -a $ENG_TMP/containerd.sock -n $NS run --runc-binary $RUNTIME --rm -t $IMAGE tty1 tty" /dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *"/dev/pts/"* ]]
}

@test "ctr --memory-limit reaches the container's cgroup" {
  # ctr's default spec mounts no /sys/fs/cgroup (runc shows the same): read it from the host.
  run_hull -d --memory-limit 67108864 "$IMAGE" mem1 sleep 1000
  run cat "/sys/fs/cgroup/memory/$NS/mem1/memory.limit_in_bytes"
  [ "$output" = 67108864 ]
}

@test "ctr task ps lists the host pids (hull ps --format json)" {
  run_hull -d "$IMAGE" ps1 sleep 1000
  c task exec -d --exec-id e1 ps1 sleep 999
  pid=$(task_pid ps1)
  run c task ps ps1
  [ "$status" -eq 0 ]
  [[ "$output" == *"$pid"* ]]
  [ "${#lines[@]}" -ge 3 ]
}

@test "a container in the host pid namespace: kill --all stops every process" {
  run_hull -d --with-ns "pid:/proc/$HOLDER/ns/pid" "$IMAGE" hp1 sh -c 'sleep 1000 & sleep 1001'
  pid=$(task_pid hp1)
  wait_until pgrep -P "$pid" -f 'sleep 1000'
  child=$(pgrep -P "$pid" -f 'sleep 1000')
  c task kill -a -s KILL hp1
  wait_until sh -c "! kill -0 $child 2>/dev/null"
  wait_until sh -c "[ \"\$(ctr -a $ENG_TMP/containerd.sock -n $NS task ls | awk '\$1 == \"hp1\" { print \$3 }')\" = STOPPED ]"
}

@test "ctr: a missing command fails with runc's message and leaves no task" {
  run run_hull --rm "$IMAGE" miss1 no-such-command
  [ "$status" -ne 0 ]
  [[ "$output" == *'exec: "no-such-command": executable file not found in $PATH'* ]]
  run_hull -d "$IMAGE" miss2 sleep 1000
  run c task exec --exec-id e1 miss2 no-such-command
  [ "$status" -ne 0 ]
  [[ "$output" == *'executable file not found'* ]]
  run c task ls -q
  [ "$output" = miss2 ]
}
