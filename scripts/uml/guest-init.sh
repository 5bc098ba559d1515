#!/bin/sh
# init (pid 1) of a guest whose root is the host's own tree (scripts/uml/run.sh): mounts the
# kernel filesystems and a tmpfs over every place a test writes, runs the command the host
# put in the exchange dir ($hull_xchg, see lib.sh), records its output and status there, and
# powers off. Nothing here may write to a host path other than the exchange dir.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH
say() { echo "guest-init: $*" >/dev/console; }

mount -t proc proc /proc || say "mounting /proc failed"
mount -t sysfs sysfs /sys || say "mounting /sys failed"
mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup || say "mounting cgroup2 failed"
grep -q ' /dev ' /proc/mounts || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm 2>/dev/null
ln -sf /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin
ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
# scratch: every place tests, runtimes and tools write (state roots, bundles, bats' tmp)
for d in /run /tmp /var/tmp /var/run /var/lib/containers /root /home /var/log /var/cache; do
  [ -d "$d" ] && [ ! -L "$d" ] && mount -t tmpfs -o mode=0755 tmpfs "$d"
done
chmod 1777 /tmp /var/tmp
# the command's own tree (the build, say) stays visible when it lies under one of them
case ${hull_keep:-} in
  /tmp/* | /run/* | /var/tmp/* | /var/run/* | /root/* | /home/*)
    mkdir -p "$hull_keep" && mount -t hostfs -o "$hull_keep" none "$hull_keep" ;;
esac
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mount -t tmpfs tmpfs /sys/fs/cgroup/../fuse 2>/dev/null
mkdir -p /run/uml-xchg
if ! mount -t hostfs -o "$hull_xchg" none /run/uml-xchg; then
  say "cannot mount the exchange dir $hull_xchg"
  poweroff -f
fi
x=/run/uml-xchg
ip link set lo up 2>/dev/null
HOME=/root TMPDIR=/tmp
export HOME TMPDIR
sh "$x/cmd" >"$x/out" 2>"$x/err" </dev/null
echo $? >"$x/rc.new"
mv "$x/rc.new" "$x/rc"
sync
poweroff -f
