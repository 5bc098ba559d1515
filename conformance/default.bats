#!/usr/bin/env bats
# The default config from the runtime's own `spec`, run with only args and hostname changed:
# what every engine relies on. Each case asserts on the probe's view and, where runc is
# installed, that runc sees the same.

load lib/common

setup() { common_setup; }
teardown() { common_teardown; }

@test "default config: probe runs as pid 1 in new namespaces, agrees with runc" {
  probe_case
  [ "$(pj .pid)" = 1 ]
  [ "$(pj .ppid)" = 0 ]
  [ "$(pj .hostname)" = conformance ]
  [ "$(pj .cwd)" = / ]
  for ns in pid mnt net ipc uts; do
    [ "$(pj ".namespaces.$ns")" != "$(host_ns $ns)" ] || fail "$ns namespace is the host's"
  done
  # runc's default config asks for no user namespace
  [ "$(pj .namespaces.user)" = "$(host_ns user)" ]
}

@test "default config: credentials, umask, env and fds as spec says" {
  probe_case
  [ "$(pj '[.uid,.euid,.suid,.gid,.egid,.sgid] | map(tostring) | join(" ")')" = "0 0 0 0 0 0" ]
  [ "$(pj .umask)" = 0022 ]
  pj '.env[]' | grep -qx 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  pj '.env[]' | grep -qx 'TERM=xterm'
  [ "$(pj '[.fds[].fd] | map(tostring) | join(",")')" = "0,1,2" ]
  [ "$(pj .no_new_privs)" = 1 ]
  [ "$(pj .dumpable)" = 1 ] || [ "$(pj .dumpable)" = 0 ]
}

@test "default config: capabilities are the spec's default set" {
  probe_case
  # runc spec: AUDIT_WRITE(29) KILL(5) NET_BIND_SERVICE(10) in bounding, effective, permitted
  local want
  want=$(printf '%016x' $(((1 << 29) | (1 << 5) | (1 << 10))))
  [ "$(pj .caps.bnd)" = "$want" ]
  [ "$(pj .caps.eff)" = "$want" ]
  [ "$(pj .caps.prm)" = "$want" ]
  [ "$(pj .caps.amb)" = 0000000000000000 ]
}

@test "default config: rlimits NOFILE 1024 and root read-only" {
  probe_case --check-write /
  [ "$(pj .rlimits.RLIMIT_NOFILE.soft)" = 1024 ]
  [ "$(pj .rlimits.RLIMIT_NOFILE.hard)" = 1024 ]
  [ "$(pj '.mounts[] | select(.mountpoint == "/") | .options' | cut -d, -f1)" = ro ]
  [ "$(pj '.checks[0].write_ok')" = false ]
  [ "$(pj '.checks[0].errno')" = 30 ] # EROFS
}

@test "default config: the spec's mounts with their types and flags" {
  probe_case
  local m
  m() { pj ".mounts[] | select(.mountpoint == \"$1\") | .fstype + \" \" + .options"; }
  m /proc | grep -q '^proc '
  m /dev | grep -q '^tmpfs .*nosuid'
  m /dev/pts | grep -q '^devpts .*nosuid.*noexec'
  m /dev/shm | grep -q '^tmpfs .*nosuid.*nodev.*noexec'
  m /dev/mqueue | grep -q '^mqueue .*nosuid.*nodev.*noexec'
  m /sys | grep -q '^sysfs ro,nosuid,nodev,noexec'
  pj '.mounts[] | select(.mountpoint == "/sys/fs/cgroup" or (.mountpoint | startswith("/sys/fs/cgroup/"))) | .options' |
    grep -q '^ro'
  # nothing of the host leaks in: every mountpoint is one the config asked for or below it
  ! pj '.mounts[].mountpoint' | grep -E '^/(tmp|home|work|run|var)(/|$)'
}

@test "default config: masked paths unreadable, readonly paths read-only" {
  local masked readonly p args=()
  masked=$(jq -r '.linux.maskedPaths[]' "$BUNDLE/config.json")
  readonly=$(jq -r '.linux.readonlyPaths[]' "$BUNDLE/config.json")
  for p in $masked; do [ -e "$p" ] && args+=(--read "$p"); done
  for p in $readonly; do [ -e "$p" ] && args+=(--check-write "$p"); done
  [ "${#args[@]}" -gt 0 ] || skip "none of the masked/readonly paths exist on this kernel"
  probe_case "${args[@]}"
  # a masked file reads as empty (/dev/null over it), a masked dir lists as empty
  local bad
  bad=$(pj '.checks[] | select(has("read_ok")) | select(.read_ok and ((.bytes // 0) > 0 or (.dir_entries // 0) > 0)) | .path')
  [ -z "$bad" ] || fail "masked paths readable: $bad"
  bad=$(pj '.checks[] | select(has("write_ok")) | select(.write_ok) | .path')
  [ -z "$bad" ] || fail "readonly paths writable: $bad"
}

@test "default config: /dev has the default devices with the right numbers" {
  probe_case --list-dir /dev
  local d
  d() { pj ".dirs[0].entries[] | select(.name == \"$1\") | .type + \" \" + (.rdev // .target // \"\") + \" \" + .mode"; }
  [ "$(d null)" = "c 1:3 0666" ]
  [ "$(d zero)" = "c 1:5 0666" ]
  [ "$(d full)" = "c 1:7 0666" ]
  [ "$(d random)" = "c 1:8 0666" ]
  [ "$(d urandom)" = "c 1:9 0666" ]
  [ "$(d tty)" = "c 5:0 0666" ]
  [ "$(d ptmx | cut -d' ' -f1-2)" = "l pts/ptmx" ]
  [ "$(d fd | cut -d' ' -f1-2)" = "l /proc/self/fd" ]
  [ "$(d stdin | cut -d' ' -f1-2)" = "l /proc/self/fd/0" ]
  [ "$(d stdout | cut -d' ' -f1-2)" = "l /proc/self/fd/1" ]
  [ "$(d stderr | cut -d' ' -f1-2)" = "l /proc/self/fd/2" ]
  # no host device beyond the defaults and the spec's mounts
  [ -z "$(pj '.dirs[0].entries[] | select(.type == "b") | .name')" ]
}

@test "default config: /dev/core links to /proc/kcore when the kernel has it" {
  [ -e /proc/kcore ] || skip "this kernel has no /proc/kcore, runtimes make no /dev/core then"
  probe_case --list-dir /dev
  [ "$(pj '.dirs[0].entries[] | select(.name == "core") | .target')" = /proc/kcore ]
}
