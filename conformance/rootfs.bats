#!/usr/bin/env bats
# root.readonly and the mounts list: bind/rbind of host dirs and files, ro and the
# nosuid/nodev/noexec flags, tmpfs options, propagation, destinations made on demand.

load lib/common

setup() {
  common_setup
  HOSTDIR=$TEST_TMP/hostdir
  mkdir -p "$HOSTDIR"
  echo "from the host" >"$HOSTDIR/file"
}
teardown() { common_teardown; }

# mount_field MOUNTPOINT FIELD: a field of the probe's last mount entry at MOUNTPOINT
mount_field() { pj "[.mounts[] | select(.mountpoint == \"$1\")] | last | .$2 // empty"; }
has_opt() { mount_field "$1" options | tr , '\n' | grep -qx "$2"; }

@test "rootfs: root.readonly false leaves / writable" {
  cfg '.root.readonly = false'
  probe_case --check-write /
  [ "$(pj '.checks[0].write_ok')" = true ]
  ! has_opt / ro
}

@test "rootfs: root.readonly true makes / read-only but mounts on it stay writable" {
  cfg '.root.readonly = true'
  probe_case --check-write / --check-write /dev/shm --check-write /tmp
  [ "$(pj '.checks[0].errno')" = 30 ]
  [ "$(pj '.checks[1].write_ok')" = true ]
  [ "$(pj '.checks[2].write_ok')" = false ]
  has_opt / ro
}

# Engines mount /proc nosuid,noexec,nodev (runc's own `spec` does not): the read-only binds of
# its subdirectories must keep those flags.
@test "rootfs: readonly paths keep the mount's nosuid, nodev and noexec, as under runc" {
  cfg '.linux.readonlyPaths = ["/proc/sys", "/proc/bus", "/proc/irq", "/proc/fs"]
       | .mounts |= map(if .destination == "/proc" then .options = ["nosuid", "noexec", "nodev"] else . end)'
  probe_case
  local p
  for p in /proc/sys /proc/bus /proc/irq /proc/fs; do
    [ -n "$(mount_field "$p" options)" ] || continue
    for o in ro nosuid nodev noexec; do
      has_opt "$p" "$o" || fail "$p: $(mount_field "$p" options) lacks $o"
    done
  done
  has_opt /proc/sys noexec
}

@test "rootfs: root.path relative to the bundle" {
  mv "$BUNDLE/rootfs" "$BUNDLE/other-root"
  cfg '.root.path = "other-root"'
  probe_case
  [ "$(pj .pid)" = 1 ]
}

@test "rootfs: bind mount of a host dir, writable, seen in the container" {
  add_mount /mnt/data bind "$HOSTDIR" bind,rw
  probe_case --read /mnt/data/file --check-write /mnt/data
  [ "$(pj '.checks[0].bytes')" = 14 ]
  [ "$(pj '.checks[1].write_ok')" = true ]
  ! has_opt /mnt/data ro
  [ "$(cat "$HOSTDIR/file")" = "from the host" ]
}

@test "rootfs: the container's writes reach the host through a bind mount" {
  add_mount /mnt/data bind "$HOSTDIR" bind,rw
  set_shell 'echo written-inside > /mnt/data/new'
  rt run -b "$BUNDLE" "$CID" </dev/null
  [ "$(cat "$HOSTDIR/new")" = written-inside ]
}

@test "rootfs: ro bind mount is read-only" {
  add_mount /mnt/data bind "$HOSTDIR" bind,ro
  probe_case --read /mnt/data/file --check-write /mnt/data --check-write /mnt/data/file
  [ "$(pj '.checks[0].read_ok')" = true ]
  [ "$(pj '.checks[1].errno')" = 30 ]
  [ "$(pj '.checks[2].errno')" = 30 ]
  has_opt /mnt/data ro
}

@test "rootfs: nosuid, nodev, noexec on a bind mount" {
  cp "$BUSYBOX" "$HOSTDIR/busybox"
  add_mount /mnt/data bind "$HOSTDIR" bind,nosuid,nodev,noexec
  probe_case
  has_opt /mnt/data nosuid
  has_opt /mnt/data nodev
  has_opt /mnt/data noexec
  set_args /mnt/data/busybox true
  run rt run -b "$BUNDLE" "$CID-exec" </dev/null
  [ "$status" -ne 0 ] || fail "executed a file from a noexec mount"
}

@test "rootfs: bind of a single file" {
  add_mount /etc/conf-file bind "$HOSTDIR/file" bind,ro
  probe_case --read /etc/conf-file
  [ "$(pj '.checks[0].type')" = f ]
  [ "$(pj '.checks[0].bytes')" = 14 ]
}

@test "rootfs: bind does not carry submounts, rbind does" {
  mkdir -p "$HOSTDIR/sub"
  mount -t tmpfs -o size=1m conf-sub "$HOSTDIR/sub"
  touch "$HOSTDIR/sub/on-submount"
  add_mount /mnt/bind bind "$HOSTDIR" bind
  add_mount /mnt/rbind bind "$HOSTDIR" rbind
  probe_case --read /mnt/bind/sub/on-submount --read /mnt/rbind/sub/on-submount
  [ "$(pj '.checks[0].exists')" = false ]
  [ "$(pj '.checks[1].exists')" = true ]
  [ "$(mount_field /mnt/rbind/sub fstype)" = tmpfs ]
  [ -z "$(mount_field /mnt/bind/sub fstype)" ]
}

@test "rootfs: tmpfs with size and mode" {
  add_mount /mnt/scratch tmpfs tmpfs size=1m,mode=0710,nosuid,nodev
  # the mode is read from the mount options: runc chmods the tmpfs to the mode of a
  # destination dir that already exists, so a listing would depend on which runtime ran first
  probe_case --check-write /mnt/scratch
  [ "$(mount_field /mnt/scratch fstype)" = tmpfs ]
  mount_field /mnt/scratch super_options | tr , '\n' | grep -qx size=1024k
  mount_field /mnt/scratch super_options | tr , '\n' | grep -qx mode=710
  has_opt /mnt/scratch nosuid
  has_opt /mnt/scratch nodev
  [ "$(pj '.checks[0].write_ok')" = true ]
}

@test "rootfs: mount destinations that do not exist are created, nested" {
  add_mount /made/by/runtime tmpfs tmpfs size=64k
  probe_case
  [ "$(mount_field /made/by/runtime fstype)" = tmpfs ]
  [ -d "$BUNDLE/rootfs/made/by/runtime" ]
}

@test "rootfs: a later mount stacks over an earlier one at the same place" {
  add_mount /mnt/x tmpfs tmpfs size=64k
  add_mount /mnt/x bind "$HOSTDIR" bind,ro
  probe_case --read /mnt/x/file
  [ "$(pj '.checks[0].bytes')" = 14 ]
  has_opt /mnt/x ro
}

# a shared tmpfs on the host as the source, so each propagation mode shows in mountinfo
shared_source() {
  mkdir -p "$TEST_TMP/shared"
  mount -t tmpfs -o size=1m conf-shared "$TEST_TMP/shared"
  mount --make-shared "$TEST_TMP/shared"
  echo shared >"$TEST_TMP/shared/file"
}

@test "rootfs: rshared bind is in a peer group" {
  shared_source
  add_mount /mnt/p bind "$TEST_TMP/shared" rbind,rshared
  probe_case
  mount_field /mnt/p propagation | grep -q 'shared:'
}

@test "rootfs: rslave bind receives from the host's peer group" {
  shared_source
  add_mount /mnt/p bind "$TEST_TMP/shared" rbind,rslave
  probe_case
  mount_field /mnt/p propagation | grep -q 'master:'
  ! mount_field /mnt/p propagation | grep -q 'shared:'
}

@test "rootfs: rprivate bind has no propagation" {
  shared_source
  add_mount /mnt/p bind "$TEST_TMP/shared" rbind,rprivate
  probe_case
  [ -z "$(mount_field /mnt/p propagation)" ]
}

@test "rootfs: rootfsPropagation private leaves no mount shared" {
  cfg '.linux.rootfsPropagation = "private"'
  probe_case
  [ -z "$(pj '.mounts[] | select(.propagation != "") | .mountpoint')" ]
}

@test "rootfs: a mount made on the host later shows up in an rslave bind" {
  shared_source
  add_mount /mnt/p bind "$TEST_TMP/shared" rbind,rslave
  set_args /probe --quiet --sleep 1000
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/ctr.out" 2>&1
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  mkdir -p "$TEST_TMP/shared/late"
  mount -t tmpfs -o size=64k conf-late "$TEST_TMP/shared/late"
  grep -q ' /mnt/p/late ' "/proc/$pid/mountinfo"
  # and nothing the container mounts travels back (it is a slave)
  umount "$TEST_TMP/shared/late"
  ! grep -q ' /mnt/p/late ' "/proc/$pid/mountinfo"
}

@test "rootfs: a read-only /dev is filled first, then made read-only (as runc)" {
  cfg '.mounts |= map(if .destination == "/dev" then .options += ["ro"] else . end)'
  probe_case --check-write /dev --read /dev/null --check-write /dev/shm
  has_opt /dev ro
  has_opt /dev nosuid
  [ "$(pj '.checks[0].errno')" = 30 ]
  [ "$(pj '.checks[1].type')" = c ]
  [ "$(pj '.checks[2].write_ok')" = true ]
  [ "$(mount_field /dev/pts fstype)" = devpts ]
  [ "$(mount_field /dev/mqueue fstype)" = mqueue ]
  ! has_opt /dev/shm ro
}

@test "rootfs: a read-only /dev still takes the console of a terminal container" {
  [ -x "${RECVTTY:-}" ] || skip "RECVTTY not built (run through meson test)"
  cfg '.mounts |= map(if .destination == "/dev" then .options += ["ro"] else . end) |
       .process.terminal = true'
  set_shell 'test -c /dev/console && echo console-ok'
  local sock=$TEST_TMP/console.sock recv
  "$RECVTTY" "$sock" >"$TEST_TMP/tty.out" 2>"$TEST_TMP/tty.err" </dev/null &
  recv=$!
  while [ ! -S "$sock" ]; do
    kill -0 "$recv" 2>/dev/null || fail "recvtty died: $(cat "$TEST_TMP/tty.err")"
    sleep 0.01
  done
  if ! rt create --console-socket "$sock" -b "$BUNDLE" "$CID" >"$TEST_TMP/create.out" 2>&1; then
    kill "$recv"
    fail "create with a terminal and a read-only /dev: $(cat "$TEST_TMP/create.out")"
  fi
  rt start "$CID"
  wait "$recv" || fail "recvtty: $(cat "$TEST_TMP/tty.err")"
  grep -q console-ok "$TEST_TMP/tty.out" || fail "terminal output: $(cat "$TEST_TMP/tty.out")"
}

# rootfsPropagation, as / shows it in mountinfo inside the container
@test "rootfs: rootfsPropagation slave and private match runc; unbindable works" {
  local p
  for p in slave private; do
    cfg '.linux.rootfsPropagation = $p' --arg p "$p"
    probe_case
    [ -z "$(mount_field / propagation)" ] || fail "$p: / has $(mount_field / propagation)"
    rt delete "$CID" 2>/dev/null || true
    ref delete "$RUNC_CID" 2>/dev/null || true
  done
  # runc 1.1.5 refuses this one ("mount rootfs ... flags: 0x5000: invalid argument": it makes
  # / unbindable before the rootfs bind); hull prepares as slave and applies it after pivot.
  cfg '.linux.rootfsPropagation = "unbindable"'
  run_probe
  [ "$PROBE_RC" = 0 ] || fail "unbindable: run failed: $(cat "$TEST_TMP/probe.test.err")"
  [ "$(mount_field / propagation)" = unbindable ]
}

@test "rootfs: rootfsPropagation shared puts / in a peer group" {
  # runc 1.1.5 leaves it private, against runtime-spec: no reference here
  cfg '.linux.rootfsPropagation = "shared"'
  run_probe
  [ "$PROBE_RC" = 0 ]
  mount_field / propagation | grep -q '^shared:'
}
