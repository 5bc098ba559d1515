#!/usr/bin/env bash
# Boots a user-mode Linux guest with systemd as init (the debootstrap rootfs of
# systemd-rootfs.sh, built once per machine) and runs conformance/systemd there, hull beside
# runc --systemd-cgroup, printing bats' TAP. A meson test (suite 'systemd'):
#   meson test -C build --no-rebuild --print-errorlogs --suite systemd
# or by hand: scripts/uml/systemd-suite.sh HULL PROBE RECVTTY NO_CLONE3 [BATS ARGS...]
# Needs root, linux.uml and debootstrap (scripts/deps.sh), and on a cold cache the Debian
# mirror for debootstrap. Without a guest it reports the suite skipped (TAP "1..0 # SKIP").
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
# The generic boot harness (helper G's scripts/uml/lib.sh): uml_why_not, uml_boot,
# uml_prepare, uml_result.
source "${HULL_UML_LIB:-$here/lib.sh}"

[ $# -ge 4 ] || { echo "usage: $0 HULL PROBE RECVTTY NO_CLONE3 [BATS ARGS...]" >&2; exit 2; }
# Absolute: the guest runs them at their host paths from its own working directory.
hull=$(realpath -- "$1") probe=$(realpath -- "$2") recvtty=$(realpath -- "$3") noclone3=$(realpath -- "$4")
shift 4
skip() { echo "1..0 # SKIP $*"; exit 0; }

[ "$(id -u)" = 0 ] || skip "the systemd guest needs root"
why=$(uml_why_not) || skip "$why"
command -v debootstrap >/dev/null || skip "debootstrap is not installed (scripts/deps.sh)"
start=$SECONDS
root=$("$here/systemd-rootfs.sh")
case $? in
  0) ;;
  3) skip "no systemd rootfs cached and the Debian mirror cannot be reached to build one" ;;
  *) echo "Bail out! building the systemd guest's rootfs failed"; exit 1 ;;
esac
echo "# systemd rootfs ready in $((SECONDS - start)) s: $root" >&2

# The guest's runner as a oneshot unit of the default target (cheap to refresh every run).
install -m 0755 "$here/systemd-guest.sh" "$root/usr/local/sbin/hull-guest-run"
cat >"$root/etc/systemd/system/hull-guest.service" <<'UNIT'
[Unit]
Description=hull: run the host's command (scripts/uml/systemd-guest.sh)
After=basic.target
[Service]
# simple, not oneshot: the runner waits for the boot to finish, which a oneshot's own start
# job would hold up forever.
Type=simple
ExecStart=/usr/local/sbin/hull-guest-run
StandardOutput=tty
StandardError=tty
TTYPath=/dev/console
UNIT
# Nothing in the suite logs in; logind only keeps restarting while it waits for the bus.
ln -sf /dev/null "$root/etc/systemd/system/systemd-logind.service"
# runc reaches systemd only through the system bus, so dbus runs (an older run of this script
# masked it while the rootfs's / was 0700 and dbus-daemon could not start).
rm -f "$root/etc/systemd/system/dbus.service" "$root/etc/systemd/system/dbus.socket"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf ../hull-guest.service "$root/etc/systemd/system/multi-user.target.wants/hull-guest.service"

xchg=$(mktemp -d /tmp/hull-uml-systemd.XXXXXX) || exit 1
trap 'rm -rf "$xchg"' EXIT
# The host dirs the guest needs at their own paths: the repository and the built binaries.
mounts=$repo
for f in "$hull" "$probe" "$recvtty" "$noclone3"; do
  d=$(cd "$(dirname "$f")" && pwd)
  case "$d/" in "$repo"/*) ;; *) mounts+=",$d" ;; esac
done
uml_prepare "$xchg" "$repo" env HULL="$hull" PROBE="$probe" RECVTTY="$recvtty" \
  NO_CLONE3="$noclone3" CONFORMANCE_DIR="$repo/conformance" RUNC=/usr/sbin/runc \
  BUSYBOX=/bin/busybox bats --tap "$@" "$repo/conformance/systemd/systemd.bats"
boot=$SECONDS
TMPDIR=/dev/shm uml_boot "$root" /lib/systemd/systemd 1G "$xchg" "$xchg/console.log" \
  "hull_mounts=$mounts" systemd.show_status=0 selinux=0
uml_result "$xchg" "$xchg/console.log"
rc=$?
echo "# systemd guest: booted, ran and powered off in $((SECONDS - boot)) s" >&2
exit $rc
