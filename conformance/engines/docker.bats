#!/usr/bin/env bats
# dockerd (Debian's docker.io) with hull added as a runtime and made the default, its own
# containerd, cgroupfs, no iptables (port publishing through docker-proxy); the busybox image
# is made with `docker import`. Everything runs inside the sandbox, the daemon stopped by pid;
# ip-forward only sets the sandbox's own net.ipv4.ip_forward (it is per network namespace).

load engines

IMAGE=localhost/busybox:hull

setup_file() {
  engines_require dockerd containerd containerd-shim-runc-v2
  [ -x /usr/bin/docker ] || skip "docker.io's client /usr/bin/docker is not installed"
  sandbox_start
  export ENG_TMP HOLDER
  local w=$ENG_TMP
  cat >"$w/daemon.json" <<CONF
{
  "data-root": "$w/docker",
  "exec-root": "$w/docker-exec",
  "pidfile": "$w/docker-daemon.pid",
  "hosts": ["unix://$w/docker.sock"],
  "runtimes": {"hull": {"path": "$RUNTIME"}},
  "default-runtime": "hull",
  "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 4096, "Soft": 1024}},
  "iptables": false,
  "ip-forward": true,
  "ip-masq": false,
  "bip": "10.213.0.1/24",
  "exec-opts": ["native.cgroupdriver=cgroupfs"],
  "storage-driver": "overlay2"
}
CONF
  export DOCKER_CONFIG=$w/docker-cli
  snapshot_cgroups docker
  start_daemon dockerd "$w/dockerd.log" dockerd --config-file "$w/daemon.json"
  wait_for d version || { tail -30 "$w/dockerd.log" >&2; return 1; }
  make_rootfs_tar "$w/busybox.tar"
  d import "$w/busybox.tar" "$IMAGE" >/dev/null
}

teardown_file() {
  [ -n "${ENG_TMP:-}" ] || return 0
  remove_all
  stop_daemon dockerd
  sandbox_stop docker
}

teardown() { remove_all; }

# The Debian client (another docker may be earlier on PATH), talking to our daemon only.
d() { sb /usr/bin/docker -H "unix://$ENG_TMP/docker.sock" "$@"; }
drun() { d run --pull never "$@"; }

remove_all() {
  local ids
  ids=$(d ps -aq 2>/dev/null)
  [ -z "$ids" ] || d rm -f $ids >/dev/null 2>&1
  return 0
}

state_of() { d inspect --format '{{.State.Status}}' "$1"; }

@test "docker run --rm runs through hull (the default runtime) and returns the exit code" {
  run drun --rm --name rm1 "$IMAGE" sh -c 'echo hello; exit 5'
  [ "$status" -eq 5 ]
  [[ "$output" == *hello* ]]
  [ -z "$(d ps -aq)" ]
}

@test "docker uses hull with the cgroupfs path /docker/ID" {
  drun -d --name cg1 "$IMAGE" sleep 1000
  [ "$(d inspect --format '{{.HostConfig.Runtime}}' cg1)" = hull ]
  id=$(d inspect --format '{{.Id}}' cg1)
  run d exec cg1 cat /proc/self/cgroup
  [[ "$output" == *"/docker/$id"* ]]
  [ -d "/sys/fs/cgroup/pids/docker/$id" ]
}

@test "docker run -d, exec, exec -it through a pty, pause/unpause, kill, stop, rm" {
  drun -d --name life "$IMAGE" sleep 1000
  run d exec -e FOO=bar -w /tmp life sh -c 'echo $FOO $(pwd)'
  [ "$output" = "bar /tmp" ]
  run sb script -qec "/usr/bin/docker -H unix://$ENG_TMP/docker.sock exec -it life sh -c 'tty; echo tty-ok'" /dev/null
  [ "$status" -eq 0 ]
  [[ "$output" == *"/dev/pts/"* ]]
  [[ "$output" == *tty-ok* ]]
  run d exec life sh -c 'exit 7'
  [ "$status" -eq 7 ]
  d pause life
  [ "$(state_of life)" = paused ]
  d unpause life
  [ "$(state_of life)" = running ]
  d kill --signal KILL life
  wait_until sb sh -c "[ \"\$(/usr/bin/docker -H unix://$ENG_TMP/docker.sock inspect --format '{{.State.Status}}' life)\" = exited ]"
  d rm life
  drun -d --name life2 "$IMAGE" sleep 1000
  # sleep as pid 1 ignores SIGTERM: stop falls back to SIGKILL
  d stop -t 1 life2
  [ "$(state_of life2)" = exited ]
  d rm life2
  [ -z "$(d ps -aq)" ]
}

@test "docker --memory and --pids-limit are visible inside the container" {
  run drun --rm --memory 64m --pids-limit 50 "$IMAGE" sh -c \
    'cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max 2>/dev/null ||
     cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max'
  [ "$status" -eq 0 ]
  [ "${lines[0]}" = 67108864 ]
  [ "${lines[1]}" = 50 ]
}

@test "docker top lists the container's processes (hull ps)" {
  drun -d --name top1 "$IMAGE" sleep 1000
  d exec -d top1 sleep 999
  wait_until sb sh -c "/usr/bin/docker -H unix://$ENG_TMP/docker.sock top top1 | grep -q 'sleep 999'"
  run d top top1
  [ "$status" -eq 0 ]
  [[ "$output" == *"sleep 1000"* ]]
}

@test "docker update changes the limits of a running container (hull update)" {
  drun -d --name up1 --memory 64m --memory-swap 64m "$IMAGE" sleep 1000
  d update --memory 32m --memory-swap 32m --pids-limit 40 up1
  run d exec up1 cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max
  [ "${lines[0]}" = 33554432 ]
  [ "${lines[1]}" = 40 ]
}

@test "docker run --init puts docker-init as pid 1" {
  run drun --rm --init "$IMAGE" sh -c 'cat /proc/1/cmdline | tr "\0" " "'
  [ "$status" -eq 0 ]
  [[ "$output" == *docker-init* ]]
}

@test "docker --pid=host: stop kills every process of the container (kill --all)" {
  drun -d --name hostpid --pid=host "$IMAGE" sh -c 'sleep 1000 & sleep 1001'
  pid=$(d inspect --format '{{.State.Pid}}' hostpid)
  wait_until pgrep -P "$pid" -f 'sleep 1000'
  child=$(pgrep -P "$pid" -f 'sleep 1000')
  d stop -t 1 hostpid
  [ "$(state_of hostpid)" = exited ]
  wait_until sh -c "! kill -0 $child 2>/dev/null"
}

@test "docker: a missing command exits 127, a non-executable one 126; exec says why" {
  run -127 drun --rm "$IMAGE" no-such-command
  [[ "$output" == *'exec: "no-such-command": executable file not found in $PATH'* ]]
  run -126 drun --rm "$IMAGE" /etc/passwd
  drun -d --name miss "$IMAGE" sleep 1000
  run -126 d exec miss /etc/passwd
  # docker 20.10 reports every failed exec start as 126 (runc gives the same)
  run -126 d exec miss no-such-command
  [[ "$output" == *'exec: "no-such-command": executable file not found in $PATH'* ]]
}

@test "docker networking: the libnetwork-setkey prestart hook runs, -p 127.0.0.1:PORT answers" {
  drun -d --name web -p 127.0.0.1:18081:80 "$IMAGE" httpd -f -p 80 -h /www
  id=$(d inspect --format '{{.Id}}' web)
  cfg=$(sb find "$ENG_TMP/docker-exec" -path "*/$id/config.json" | head -1)
  jq -e '.hooks.prestart[0].args | index("libnetwork-setkey")' "$cfg" >/dev/null
  run d exec web ip -o -4 addr show eth0
  [[ "$output" == *"10.213.0."* ]]
  wait_until sb "$BUSYBOX" wget -qO /dev/null http://127.0.0.1:18081/
  run sb "$BUSYBOX" wget -qO- http://127.0.0.1:18081/
  [ "$output" = hello-from-hull ]
}

logs_lines() { [ "$(d logs "$1" 2>&1 | wc -l)" -ge "$2" ]; }

# A capability the host's bounding set lacks makes hull warn. The warning goes to the --log
# file the shim passes, never into the container's output (docker logs, exec output).
@test "docker: hull's warnings stay out of docker logs and exec output" {
  (( (0x$(awk '/^CapBnd/ {print $2}' /proc/self/status) >> 24) & 1 )) &&
    skip "the host has CAP_SYS_RESOURCE; nothing to warn about"
  drun -d --name warn1 --cap-add SYS_RESOURCE "$IMAGE" sh -c 'echo out; echo err >&2; sleep 1000'
  wait_until logs_lines warn1 2
  run d logs warn1
  echo "$output"
  # stdout and stderr are two pipes: docker logs may show either line first
  [ "$(sort <<<"$output")" = "err
out" ]
  run d exec warn1 sh -c 'echo x'
  echo "$output"
  [ "$output" = x ]
}
