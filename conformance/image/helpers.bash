# Shared by the oci-image suites: a busybox image built with umoci (an independent producer),
# tree listings for differential checks, and cleanup of every bundle and mount a test makes.

OCI_IMAGE=${OCI_IMAGE:?path of the oci-image executable}
RUNTIME=${HULL:-runc}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

tree() { python3 "$HERE/tree.py" "$@"; }

# Unmounts and removes everything under $1 that tests left mounted.
cleanup_dir() {
  local d=$1
  [ -n "$d" ] && [ -d "$d" ] || return 0
  local m
  for m in $(awk -v d="$d" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf "$d"
}

# Builds, in layout $1, tag "base" (two layers) with every member type a rootfs can hold, and
# tag "busybox" (one layer) for running.
make_images() {
  local layout=$1 work
  work=$(mktemp -d "$BATS_FILE_TMPDIR/build.XXXXXX")
  umoci init --layout "$layout"
  umoci new --image "$layout:base"
  umoci unpack --image "$layout:base" "$work/b" >/dev/null
  local r=$work/b/rootfs
  mkdir -p "$r/bin" "$r/etc" "$r/tmp" "$r/var/cache/apt" "$r/opt/app" "$r/srv/data" "$r/dev"
  cp /usr/bin/busybox "$r/bin/busybox"
  for c in sh ls cat echo id hostname sleep touch rm mkdir true test; do ln -s busybox "$r/bin/$c"; done
  printf 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n' >"$r/etc/passwd"
  printf 'root:x:0:\napp:x:1000:\nwheel:x:10:app\n' >"$r/etc/group"
  chmod 1777 "$r/tmp"
  echo secret >"$r/opt/app/su" && chmod 4755 "$r/opt/app/su"
  echo gid >"$r/opt/app/sg" && chmod 2711 "$r/opt/app/sg"
  echo owned >"$r/srv/data/owned" && chown 1000:10 "$r/srv/data/owned"
  chown 1000:1000 "$r/srv/data"
  chmod 0700 "$r/srv/data"
  echo shared >"$r/opt/app/a" && ln "$r/opt/app/a" "$r/opt/app/b"
  ln -s /etc/passwd "$r/opt/app/abs-link"
  ln -s ../../etc/group "$r/opt/app/rel-link"
  ln -s /nonexistent "$r/opt/app/dangling"
  mkfifo "$r/opt/app/fifo"
  mknod "$r/dev/null" c 1 3 && chmod 666 "$r/dev/null"
  mknod "$r/dev/loop7" b 7 7
  python3 -c 'import os,sys; os.setxattr(sys.argv[1], "user.note", b"hi")' "$r/opt/app/a"
  mkdir -p "$r/deep/$(printf 'd%.0s' {1..120})/$(printf 'e%.0s' {1..120})"
  echo long >"$r/deep/$(printf 'd%.0s' {1..120})/$(printf 'e%.0s' {1..120})/$(printf 'f%.0s' {1..200})"
  truncate -s 8M "$r/opt/app/sparse" && printf 'end' | dd of="$r/opt/app/sparse" bs=1 seek=8000000 conv=notrunc status=none
  echo 1 >"$r/var/cache/apt/one" && echo 2 >"$r/var/cache/apt/two"
  echo old >"$r/etc/motd"
  touch -d '2001-02-03 04:05:06' "$r/etc/motd"
  umoci repack --image "$layout:base" "$work/b"
  umoci config --image "$layout:base" --config.cmd /bin/sh --config.cmd -c \
    --config.cmd 'echo hello from $(hostname); id' --config.user app \
    --config.env GREETING=hi --config.label org.opencontainers.image.title=busy \
    --config.exposedports 80/tcp --config.stopsignal SIGTERM
  # Second layer: deletions (whiteouts), replaced content, a directory emptied and refilled.
  umoci unpack --image "$layout:base" "$work/c" >/dev/null
  r=$work/c/rootfs
  rm -rf "$r/var/cache/apt" "$r/opt/app/b"
  echo new >"$r/etc/motd"
  rm -rf "$r/srv/data" && mkdir "$r/srv/data" && echo fresh >"$r/srv/data/fresh"
  echo added >"$r/opt/app/added" && ln "$r/opt/app/added" "$r/opt/app/added-link"
  umoci repack --image "$layout:base" "$work/c"
  umoci gc --layout "$layout"
  rm -rf "$work"
}

# add_layer LAYOUT FROM_TAG NEW_TAG LAYER.PY-ARGS...: tag NEW_TAG is FROM_TAG plus one layer made
# by layer.py.
add_layer() {
  local layout=$1 from=$2 to=$3 tar
  shift 3
  tar=$(mktemp "$BATS_FILE_TMPDIR/layer.XXXXXX")
  python3 "$HERE/layer.py" "$tar" "$@"
  umoci raw add-layer --history.created_by "layer.py $*" --image "$layout:$from" --tag "$to" "$tar"
  rm -f "$tar"
}

# deep_leaf ROOTFS: how many "d" directories lead down from ROOTFS and what the "leaf" at the
# bottom holds, read one directory at a time (the path is longer than PATH_MAX).
deep_leaf() {
  python3 - "$1" <<'PY'
import os, sys
fd, n = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY), 0
while True:
    try:
        nfd = os.open("d", os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
    except FileNotFoundError:
        break
    os.close(fd)
    fd, n = nfd, n + 1
names = sorted(os.listdir(fd))
print(n, " ".join(names), *(open(os.open(x, os.O_RDONLY, dir_fd=fd)).read().strip() for x in names))
PY
}

# deep_write ROOTFS NAME TEXT: writes NAME beside the deepest "leaf".
deep_write() {
  python3 - "$@" <<'PY'
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
while True:
    try:
        nfd = os.open("d", os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
    except FileNotFoundError:
        break
    os.close(fd)
    fd = nfd
with open(os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
    f.write(sys.argv[3] + "\n")
PY
}

# Mount points below $1 (none expected after a failure).
mounts_below() { awk -v d="$1" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo; }
