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
teardown() {
  stop_renamer
  common_teardown
}

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

# --no-pivot: MS_MOVE of the rootfs onto / and chroot, for hosts where pivot_root cannot work
# (a rootfs on ramfs). The runners pass the flag to `run`; probe_case_no_pivot is probe_case
# through them.
rt_no_pivot() {
  local sub=$1
  shift
  rt "$sub" --no-pivot "$@"
}
ref_no_pivot() {
  local sub=$1
  shift
  ref "$sub" --no-pivot "$@"
}
observe_no_pivot() {
  local runner=$1
  shift
  observe_probe "${runner}_no_pivot" "$@"
}
probe_case_no_pivot() { probe_case_with observe_no_pivot "$@"; }

# The default config's masked and readonly paths that exist on this kernel, as probe arguments.
masked_and_readonly_args() {
  local p
  MR_ARGS=()
  for p in $(jq -r '.linux.maskedPaths[]' "$BUNDLE/config.json"); do
    [ -e "$p" ] && MR_ARGS+=(--read "$p")
  done
  for p in $(jq -r '.linux.readonlyPaths[]' "$BUNDLE/config.json"); do
    [ -e "$p" ] && MR_ARGS+=(--check-write "$p")
  done
  [ "${#MR_ARGS[@]}" -gt 0 ] || skip "none of the masked/readonly paths exist on this kernel"
}
assert_masked_and_readonly() {
  local bad
  bad=$(pj '.checks[] | select(has("read_ok")) | select(.read_ok and ((.bytes // 0) > 0 or (.dir_entries // 0) > 0)) | .path')
  [ -z "$bad" ] || fail "masked paths readable under --no-pivot: $bad"
  bad=$(pj '.checks[] | select(has("write_ok")) | select(.write_ok) | .path')
  [ -z "$bad" ] || fail "readonly paths writable under --no-pivot: $bad"
}
use_userns() {
  cfg '.linux.namespaces += [{type: "user"}]
       | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
       | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
}

@test "rootfs: --no-pivot runs in the rootfs with masked and readonly paths, as runc --no-pivot" {
  masked_and_readonly_args
  probe_case_no_pivot --list-dir / "${MR_ARGS[@]}"
  pj '.dirs[0].entries[].name' | grep -qx probe
  # the host's mounts outside the rootfs are not in the container's view
  ! pj '.mounts[].mountpoint' | grep -E '^/(tmp|home|work|run|var)(/|$)'
  assert_masked_and_readonly
}

@test "rootfs: --no-pivot with a user namespace, masked and readonly paths hold, as runc --no-pivot" {
  use_userns
  masked_and_readonly_args
  probe_case_no_pivot --list-dir / "${MR_ARGS[@]}"
  pj '.dirs[0].entries[].name' | grep -qx probe
  [ "$(pj .uid)" = 0 ]
  ! pj '.mounts[].mountpoint' | grep -E '^/(tmp|home|work|run|var)(/|$)'
  assert_masked_and_readonly
}

# A fresh proc or sysfs mount by a container root holding CAP_SYS_ADMIN in its own user
# namespace. The kernel (mount_too_revealing) allows it when some proc (sysfs) mount in the
# mount namespace is "fully visible": mounted at its root with no locked mount over a
# non-empty directory. Measured on 6.18 with runc 1.1.5 and hull alike:
# - with pivot_root the fresh proc mount already succeeds: the container's own /proc
#   qualifies, since its maskedPaths mounts were made inside the user namespace and are not
#   locked (the container root could unmount them as well). A rw sysfs fails only because
#   the container's /sys superblock is read-only.
# - with --no-pivot the host's /proc and /sys stay in the mount namespace outside the chroot,
#   so the rw sysfs mount succeeds too. runc 1.1.5 tries to detach them, gets EINVAL (they
#   are locked) and mounts a tmpfs over them, which the kernel's check does not look at: it is
#   exposed the same way.
# Locked read-only covers over /proc/fs and /sys/firmware made as host root before the user
# namespace do make both mounts fail, but they also make the kernel refuse the container's
# own /proc and /sys mounts, which come after them; so hull does what runc does here.
@test "rootfs: --no-pivot with a user namespace, fresh proc and sysfs mounts fare as under runc" {
  have_runc_reference || skip "needs runc as the reference"
  use_userns
  cfg '.process.capabilities |= with_entries(.value += ["CAP_SYS_ADMIN"])'
  mkdir -p "$BUNDLE/rootfs/fresh-proc" "$BUNDLE/rootfs/fresh-sys"
  set_shell 'mount -t proc proc /fresh-proc && echo proc=mounted || echo proc=refused
             mount -t sysfs sysfs /fresh-sys && echo sysfs=mounted || echo sysfs=refused'
  rt run --no-pivot -b "$BUNDLE" "$CID" >"$TEST_TMP/test.out" 2>"$TEST_TMP/test.err" </dev/null ||
    fail "hull --no-pivot: $(cat "$TEST_TMP/test.err")"
  ref run --no-pivot -b "$BUNDLE" "$RUNC_CID" >"$TEST_TMP/ref.out" 2>"$TEST_TMP/ref.err" </dev/null ||
    fail "runc --no-pivot: $(cat "$TEST_TMP/ref.err")"
  grep -qx 'proc=\(mounted\|refused\)' "$TEST_TMP/test.out" || fail "no proc outcome: $(cat "$TEST_TMP/test.out")"
  grep -qx 'sysfs=\(mounted\|refused\)' "$TEST_TMP/test.out" || fail "no sysfs outcome: $(cat "$TEST_TMP/test.out")"
  diff -u "$TEST_TMP/ref.out" "$TEST_TMP/test.out" || fail "hull and runc differ on fresh proc/sysfs mounts"
}

# --- Mount destinations through symlinks inside the rootfs ---------------------------------

# dangling_resolv_bundle DIR: a copy of $BUNDLE whose /etc/resolv.conf is a dangling relative
# link (as systemd-resolved images ship it) with a bind of a host file over /etc/resolv.conf
dangling_resolv_bundle() {
  local dir=$1
  cp -a "$BUNDLE" "$dir"
  ln -s ../run/systemd/resolve/stub-resolv.conf "$dir/rootfs/etc/resolv.conf"
  BUNDLE=$dir add_mount /etc/resolv.conf bind "$TEST_TMP/resolv.src" bind,ro
  BUNDLE=$dir set_args /bin/cat /etc/resolv.conf
}

@test "rootfs: a bind onto a dangling symlink creates the link's target inside the rootfs (as runc)" {
  echo "nameserver 192.0.2.53" >"$TEST_TMP/resolv.src"
  local runner id dir
  for runner in rt ref; do
    [ "$runner" = rt ] || have_runc_reference || continue
    id=$CID
    [ "$runner" = rt ] || id=$RUNC_CID
    dir=$TEST_TMP/bundle-$runner
    dangling_resolv_bundle "$dir"
    run "$runner" run -b "$dir" "$id" </dev/null
    [ "$status" -eq 0 ] || fail "$runner: $output"
    [ "$output" = "nameserver 192.0.2.53" ] || fail "$runner: the container saw: $output"
    # the link is kept; its target was made (empty, a regular file) where it points
    [ "$(readlink "$dir/rootfs/etc/resolv.conf")" = ../run/systemd/resolve/stub-resolv.conf ]
    [ -f "$dir/rootfs/run/systemd/resolve/stub-resolv.conf" ]
    [ ! -s "$dir/rootfs/run/systemd/resolve/stub-resolv.conf" ]
    (cd "$dir/rootfs" && find run | sort) >"$TEST_TMP/made.$runner"
  done
  if have_runc_reference; then
    diff "$TEST_TMP/made.rt" "$TEST_TMP/made.ref" || fail "hull and runc made different paths"
  fi
}

@test "rootfs: a dangling symlink leading out of the rootfs creates its target inside it, never outside" {
  local outside=$TEST_TMP/outside
  mkdir -p "$outside"
  echo "from the host" >"$TEST_TMP/src.file"
  local runner id dir
  for runner in rt ref; do
    [ "$runner" = rt ] || have_runc_reference || continue
    id=$CID
    [ "$runner" = rt ] || id=$RUNC_CID
    dir=$TEST_TMP/bundle-$runner
    cp -a "$BUNDLE" "$dir"
    ln -s "$outside/abs" "$dir/rootfs/etc/abs.conf"
    ln -s "../../../../../../../../..$outside/rel" "$dir/rootfs/etc/rel"
    BUNDLE=$dir add_mount /etc/abs.conf bind "$TEST_TMP/src.file" bind,ro
    BUNDLE=$dir add_mount /etc/rel/sub/file bind "$TEST_TMP/src.file" bind,ro
    BUNDLE=$dir set_args /bin/cat /etc/abs.conf /etc/rel/sub/file
    run "$runner" run -b "$dir" "$id" </dev/null
    [ "$status" -eq 0 ] || fail "$runner: $output"
    [ "$output" = "from the host
from the host" ] || fail "$runner: the container saw: $output"
    # made under the rootfs, at the host path the links name, and nothing on the host
    [ -f "$dir/rootfs$outside/abs" ]
    [ -f "$dir/rootfs$outside/rel/sub/file" ]
    [ -z "$(ls -A "$outside")" ] || fail "$runner created on the host: $(ls -A "$outside")"
    [ -z "$(mounts_under "$outside")" ]
  done
}

# --- openat2 and renames elsewhere on the host ---------------------------------------------

# start_renamer DIR: renames a file back and forth in DIR as fast as it can, in the
# background, until stop_renamer. Each rename bumps the kernel's global rename seqlock, which
# makes a concurrent openat2(RESOLVE_IN_ROOT) lookup through ".." answer EAGAIN.
start_renamer() {
  mkdir -p "$1"
  touch "$1/a"
  python3 -c '
import os, sys
d = sys.argv[1]
a, b = os.path.join(d, "a"), os.path.join(d, "b")
while True:
    os.rename(a, b)
    os.rename(b, a)
' "$1" &
  echo $! >"$TEST_TMP/renamer.pid"
}

stop_renamer() {
  [ -n "${TEST_TMP:-}" ] && [ -f "$TEST_TMP/renamer.pid" ] || return 0
  local pid
  pid=$(cat "$TEST_TMP/renamer.pid")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$TEST_TMP/renamer.pid"
}

@test "rootfs: 30 creates all succeed while the host renames files (openat2 EAGAIN is retried)" {
  command -v python3 >/dev/null || skip "python3 not installed"
  echo "nameserver 192.0.2.53" >"$TEST_TMP/resolv.src"
  # lookups through ".." inside the rootfs are the ones the kernel asks to retry
  ln -s ../run/resolv.conf "$BUNDLE/rootfs/etc/resolv.conf"
  mkdir -p "$BUNDLE/rootfs/run" "$BUNDLE/rootfs/srv/a/b/c"
  touch "$BUNDLE/rootfs/run/resolv.conf"
  ln -s ../../../srv "$BUNDLE/rootfs/run/up"
  add_mount /etc/resolv.conf bind "$TEST_TMP/resolv.src" bind,ro
  add_mount /run/up/a/b/c tmpfs tmpfs size=64k
  set_args /probe --quiet --sleep 1000
  start_renamer "$TEST_TMP/renames"
  local i failed=0
  for i in $(seq 1 30); do
    if ! rt create -b "$BUNDLE" "$CID-$i" </dev/null >"$TEST_TMP/create.out" 2>&1; then
      failed=$((failed + 1))
      echo "# create $i: $(cat "$TEST_TMP/create.out")" >&3
    fi
    rt delete -f "$CID-$i" >/dev/null 2>&1 || true
  done
  stop_renamer
  [ "$failed" -eq 0 ] || fail "$failed of 30 creates failed"
  for i in $(seq 1 30); do assert_nothing_left "$CID-$i"; done
}
