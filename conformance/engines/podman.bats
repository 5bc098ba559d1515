#!/usr/bin/env bats
# podman (Debian's) with hull as its OCI runtime: private containers.conf and storage.conf,
# cgroupfs, a busybox image made locally with `podman import`; all inside the sandbox.

load engines

IMAGE=localhost/busybox:hull

setup_file() {
  engines_require podman conmon
  sandbox_start
  export ENG_TMP HOLDER
  local w=$ENG_TMP
  mkdir -p "$w/storage" "$w/net"
  # No systemd here: cgroupfs and file events. The hard nofile limit is 20000 and
  # CAP_SYS_RESOURCE is not in our bounding set, so podman's default 1048576 cannot be set.
  cat >"$w/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:4096", "nproc=4096:4096"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$w/events.log"
runtime = "hull"
runtime_supports_json = ["hull"]
runtime_supports_nocgroup = ["hull"]
tmp_dir = "$w/tmp"
static_dir = "$w/storage/libpod"
volume_path = "$w/storage/volumes"
[engine.runtimes]
hull = ["$RUNTIME"]
[network]
network_config_dir = "$w/net"
CONF
  containers_storage "$w"
  snapshot_cgroups libpod_parent
  make_rootfs_tar "$w/busybox.tar"
  pm import -q "$w/busybox.tar" "$IMAGE" >/dev/null
}

teardown_file() {
  [ -n "${ENG_TMP:-}" ] || return 0
  pm rm --all --force --time 0 >/dev/null 2>&1 || true
  sandbox_stop libpod_parent
}

teardown() {
  pm rm --all --force --time 0 >/dev/null 2>&1 || true
}

pm() { sb podman "$@"; }

oci_runtime_of() { pm inspect --format '{{.OCIRuntime}}' "$1"; }
status_is() { [ "$(pm inspect --format '{{.State.Status}}' "$1")" = "$2" ]; }

@test "podman run --rm runs through hull and returns the exit code" {
  run pm run --rm --name rm1 "$IMAGE" sh -c 'echo hello; exit 3'
  [ "$status" -eq 3 ]
  [ "$output" = hello ]
  run pm ps -a --format '{{.Names}}'
  [[ "$output" != *rm1* ]]
}

@test "podman uses hull, with the cgroupfs path /libpod_parent/libpod-ID" {
  pm run -d --name cg1 "$IMAGE" sleep 1000
  [ "$(oci_runtime_of cg1)" = hull ]
  id=$(pm inspect --format '{{.Id}}' cg1)
  run pm exec cg1 cat /proc/self/cgroup
  [ "$status" -eq 0 ]
  [[ "$output" == *"/libpod_parent/libpod-$id"* ]]
}

@test "podman run -d, exec, exec -it through a pty, pause/resume, kill, stop, rm" {
  pm run -d --name life "$IMAGE" sleep 1000
  run pm exec life sh -c 'echo from-exec; echo $((6*7))'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = from-exec ]
  [ "${lines[1]}" = 42 ]
  run pm exec -e FOO=bar --workdir /tmp life sh -c 'echo $FOO $(pwd) $PATH'
  [ "$output" = "bar /tmp /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" ]
  run sb script -qec "podman exec -it life sh -c 'tty; echo tty-ok'" /dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *"/dev/pts/"* ]]
  [[ "$output" == *tty-ok* ]]
  pm pause life
  [ "$(pm inspect --format '{{.State.Status}}' life)" = paused ]
  pm unpause life
  [ "$(pm inspect --format '{{.State.Status}}' life)" = running ]
  pm exec life true
  pm kill --signal KILL life
  wait_until status_is life exited
  pm rm life
  pm run -d --name life2 "$IMAGE" sleep 1000
  # sleep as pid 1 ignores SIGTERM: stop has to fall back to SIGKILL through hull kill
  pm stop --time 1 life2
  [ "$(pm inspect --format '{{.State.Status}}' life2)" = exited ]
  pm rm life2
  run pm ps -a --format '{{.Names}}'
  [ -z "$output" ]
}

@test "podman exec -it with stdin that is not a terminal still gets a pty" {
  pm run -d --name tty1 "$IMAGE" sleep 1000
  run pm exec -t tty1 tty </dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *"/dev/pts/"* ]]
  run pm run --rm -t "$IMAGE" tty </dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *"/dev/pts/"* ]]
}

@test "podman --memory and --pids-limit are visible inside the container" {
  run pm run --rm --memory 64m --pids-limit 50 "$IMAGE" sh -c \
    'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max 2>/dev/null ||
     cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 67108864 ]
  [ "${lines[1]}" = 50 ]
}

@test "podman top lists the container's processes" {
  pm run -d --name top1 "$IMAGE" sleep 1000
  pm exec -d top1 sleep 999
  wait_until sb sh -c "podman top top1 | grep -q 'sleep 999'"
  run pm top top1
  [ "$status" -eq 0 ]
  [[ "$output" == *"sleep 1000"* ]]
  [[ "$output" == *"sleep 999"* ]]
}

@test "podman run --init puts podman's init as pid 1" {
  run pm run --rm --init "$IMAGE" sh -c 'cat /proc/1/cmdline | tr "\0" " "'
  [ "$status" -eq 0 ]
  [[ "$output" == *init* ]]
  [[ "$output" == *"sh -c"* ]]
}

@test "podman --pid=host: stop kills every process of the container (kill --all)" {
  pm run -d --name hostpid --pid=host "$IMAGE" sh -c 'sleep 1000 & sleep 1001'
  pid=$(pm inspect --format '{{.State.Pid}}' hostpid)
  wait_until sh -c "pgrep -P $pid sleep"
  child=$(pgrep -P "$pid" -f 'sleep 1000')
  pm stop --time 1 hostpid
  [ "$(pm inspect --format '{{.State.Status}}' hostpid)" = exited ]
  ! kill -0 "$child" 2>/dev/null
}

@test "podman: a missing command exits 127, a non-executable one 126" {
  run -127 pm run --rm "$IMAGE" no-such-command
  [[ "$output" == *"no-such-command"* ]]
  run -126 pm run --rm "$IMAGE" /etc/passwd
  pm run -d --name miss "$IMAGE" sleep 1000
  run -127 pm exec miss no-such-command
}

@test "podman -p 127.0.0.1:PORT publishes a port that answers" {
  pm run -d --name web -p 127.0.0.1:18080:80 "$IMAGE" httpd -f -p 80 -h /www
  wait_until sb "$BUSYBOX" wget -qO /dev/null http://127.0.0.1:18080/
  run sb "$BUSYBOX" wget -qO- http://127.0.0.1:18080/
  [ "$output" = hello-from-hull ]
}

# same_under_runc ARGS...: `podman run --rm ARGS` through hull and through runc print the same.
same_under_runc() {
  run pm run --rm "$@"
  echo "hull ($status): $output"
  [ "$status" -eq 0 ]
  local mine=$output
  command -v runc >/dev/null || return 0
  run pm run --rm --runtime "$(command -v runc)" "$@"
  echo "runc ($status): $output"
  [ "$status" -eq 0 ]
  [ "$mine" = "$output" ]
  output=$mine
}

# podman writes each device's fileMode with its type bits (8630 = S_IFCHR|0666).
@test "podman run --device /dev/null:/dev/xnull goes through hull as through runc" {
  same_under_runc --device /dev/null:/dev/xnull "$IMAGE" sh -c \
    'stat -c "%F %t:%T %a" /dev/xnull; echo data >/dev/xnull && echo written'
  [ "$output" = "character special file 1:3 666
written" ]
}

@test "podman run --privileged goes through hull as through runc: host devices, no read-only /proc/sys" {
  same_under_runc --privileged "$IMAGE" sh -c \
    'stat -c "%F %t:%T" /dev/null /dev/full; grep CapEff /proc/self/status
     grep -c " /proc/sys .*ro," /proc/self/mountinfo || true'
  [[ "$output" == *"character special file 1:7"* ]]
  [ "${lines[-1]}" = 0 ]
}

@test "podman run --network none: lo is up and 127.0.0.1 answers, as under runc" {
  same_under_runc --network none --cap-add NET_RAW "$IMAGE" sh -c \
    'ip -o link show | sed "s/^[0-9]*: \([^:@]*\).*<\([^>]*\)>.*/\1 \2/"
     ping -c 1 127.0.0.1 >/dev/null && echo ping-ok'
  [ "$output" = "lo LOOPBACK,UP,LOWER_UP
ping-ok" ]
}

# With runtime_supports_nocgroup podman passes crun's global `--cgroup-manager disabled`.
@test "podman run --cgroups=disabled: hull runs the container in no cgroup of its own" {
  run pm run --rm --cgroups=disabled "$IMAGE" cat /proc/self/cgroup
  echo "$output"
  [ "$status" -eq 0 ]
  [[ "$output" != *libpod* ]]
  [[ "$output" == *":memory:"* ]]
}
