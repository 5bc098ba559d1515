#!/bin/sh
# Runs inside the systemd guest as the unit hull-guest.service (installed by
# systemd-suite.sh): the same exchange-dir protocol as guest-init.sh (lib.sh), but with
# systemd as pid 1, which has already mounted /proc, /sys, cgroup2 and /run. Mounts a tmpfs on
# /tmp, the exchange dir, and the host dirs listed in hull_mounts= (the repository and its
# build tree, at their host paths), runs the command and powers the guest off.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
say() { echo "systemd-guest: $*" >/dev/console; }
# The poweroff job itself: `systemctl poweroff` asks logind first, and with logind masked
# (systemd-suite.sh) that call fails ("Unit dbus-org.freedesktop.login1.service failed to load
# properly") instead of falling back, leaving the guest up and the host waiting on it forever.
power_off() {
  systemctl start --no-block --job-mode=replace-irreversibly poweroff.target ||
    systemctl poweroff --force --force
}
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -1; }

xchg=$(arg hull_xchg)
mount -t tmpfs -o mode=1777 tmpfs /tmp
x=/run/uml-xchg
mkdir -p "$x"
if [ -z "$xchg" ] || ! mount -t hostfs -o "$xchg" none "$x"; then
  say "cannot mount the exchange dir '$xchg'"
  power_off
  exit 1
fi
for d in $(arg hull_mounts | tr ',' ' '); do
  mkdir -p "$d" && mount -t hostfs -o "$d" none "$d" || say "cannot mount host dir $d"
done
# Let the boot finish first (its jobs done or failed). Seen under load: the first client on
# pid 1's private socket right at boot got no answer for minutes, one after the boot at once.
systemctl is-system-running --wait >/dev/null 2>&1
HOME=/root TMPDIR=/tmp
export HOME TMPDIR
sh "$x/cmd" >"$x/out" 2>"$x/err" </dev/null
echo $? >"$x/rc.new"
mv "$x/rc.new" "$x/rc"
sync
power_off
