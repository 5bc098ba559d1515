#!/bin/bash
# Builds (once per machine) the Debian rootfs the systemd suite boots under user-mode Linux:
# systemd as init, dbus, and what conformance/systemd needs inside (bats, jq, busybox-static,
# python3 for conformance/lib's bundle builder, runc as the oracle). Cached outside the
# repository under /var/cache/hull, keyed by the package list, so a second run costs nothing.
# Prints the rootfs path on stdout.
#
#   scripts/uml/systemd-rootfs.sh            build if missing, print the path (status 3: the
#                                            Debian mirror cannot be reached)
#   HULL_UML_CACHE=/elsewhere scripts/uml/systemd-rootfs.sh
set -euo pipefail

PACKAGES=systemd,systemd-sysv,dbus,bats,jq,busybox-static,runc,procps,util-linux,python3-minimal
SUITE=bookworm
CACHE=${HULL_UML_CACHE:-/var/cache/hull}
key=$(printf '%s %s v1' "$SUITE" "$PACKAGES" | sha256sum | cut -c1-12)
ROOT=$CACHE/uml-systemd-$key

if [ -f "$ROOT/.hull-complete" ]; then
  # (a cache from before the chmod below: its / was mktemp's 0700)
  chmod 0755 "$ROOT"
  echo "$ROOT"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "systemd-rootfs: debootstrap is not installed" >&2; exit 1; }
# The mirror the host's own apt uses (deb822 or one-line sources).
mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
[ -n "$mirror" ] || mirror=$(grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
  awk '{print $2}' | grep -v security | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}

mkdir -p "$CACHE"
tmp=$(mktemp -d "$CACHE/.uml-systemd-build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "systemd-rootfs: debootstrap $SUITE from $mirror into $ROOT (once per machine)" >&2
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$tmp" "$mirror" >"$tmp.log" 2>&1 || {
  tail -20 "$tmp.log" >&2
  # No mirror (an offline machine) is status 3, which the suite reports as a skip.
  unreachable=0
  grep -q 'Failed getting release file' "$tmp.log" && unreachable=3
  rm -f "$tmp.log"
  exit $((unreachable ? unreachable : 1))
}
rm -f "$tmp.log"

# A quiet guest: no getty on the console (the suite's unit owns it), nothing that waits for
# a network or a clock that UML does not have.
chroot "$tmp" systemctl mask getty@tty1.service serial-getty@ttyS0.service console-getty.service \
  systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer \
  fstrim.timer systemd-networkd-wait-online.service >/dev/null 2>&1 || true
echo uml-systemd >"$tmp/etc/hostname"
: >"$tmp/etc/fstab"
mkdir -p "$tmp/mnt/host"
rm -rf "$tmp/var/cache/apt/archives"/*.deb
# mktemp made the directory 0700 and it becomes the guest's /: no user but root could reach
# anything, so dbus-daemon (user messagebus) never came up and took pid 1's answers with it.
chmod 0755 "$tmp"
touch "$tmp/.hull-complete"
trap - EXIT
rm -rf "$ROOT"
mv "$tmp" "$ROOT"
echo "$ROOT"
