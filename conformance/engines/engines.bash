# Shared harness for the engine suites (podman, containerd, dockerd with hull as the runtime).
#
# Every engine runs inside a sandbox: one holder process in new network and mount namespaces
# with a tmpfs over /run, so the daemons' sockets, netns pins, overlay mounts, bridges and
# firewall rules never reach the host and die with it. Commands enter it with `sb CMD...`.
# Daemons are started by the suite and stopped by their pid; what is left is found by the
# sandbox's mount namespace (processes) and by the cgroup prefixes the engine uses.
#
# Environment: HULL (the runtime under test, default runc), BUSYBOX (a static busybox).

type bats_require_minimum_version >/dev/null 2>&1 && bats_require_minimum_version 1.5.0

RUNTIME=${HULL:-$(command -v runc)}
BUSYBOX=${BUSYBOX:-$(command -v busybox)}

engines_require() {
  [ "$(id -u)" = 0 ] || skip "engine tests need root"
  [ -x "$RUNTIME" ] || skip "runtime under test not found: ${HULL:-runc}"
  local t
  for t in "$@"; do
    command -v "$t" >/dev/null || skip "$t is not installed (scripts/deps.sh installs it)"
  done
}

# sandbox_start: makes $ENG_TMP and the holder; sets HOLDER.
sandbox_start() {
  ENG_TMP=$(mktemp -d /tmp/hull-eng.XXXXXX)
  chmod 755 "$ENG_TMP"
  echo "$ENG_TMP" >"$BATS_FILE_TMPDIR/eng_tmp"
  unshare --net --mount --propagation private sh -c \
    'mount -t tmpfs -o mode=755 tmpfs /run && ip link set lo up && touch "$1/ready" && exec sleep infinity' \
    sh "$ENG_TMP" </dev/null >"$ENG_TMP/holder.log" 2>&1 3>&- &
  HOLDER=$!
  echo "$HOLDER" >"$ENG_TMP/holder.pid"
  local i
  for i in $(seq 1 500); do
    [ -e "$ENG_TMP/ready" ] && return 0
    kill -0 "$HOLDER" 2>/dev/null || break
    sleep 0.02
  done
  cat "$ENG_TMP/holder.log" >&2
  return 1
}

# sb CMD...: runs CMD inside the sandbox (its network and mount namespaces).
sb() { nsenter -t "$HOLDER" -n -m -- "$@"; }

# start_daemon NAME LOG CMD...: starts a daemon in the sandbox; its pid goes to $ENG_TMP/NAME.pid.
start_daemon() {
  local name=$1 log=$2
  shift 2
  nsenter -t "$HOLDER" -n -m -- "$@" </dev/null >"$log" 2>&1 3>&- &
  echo $! >"$ENG_TMP/$name.pid"
}

# wait_for CMD...: retries CMD until it succeeds or the daemon it waits for has died.
wait_for() {
  local i
  for i in $(seq 1 1500); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  return 1
}

# stop_daemon NAME: SIGTERM by pid, then SIGKILL if it does not go.
stop_daemon() {
  local f=$ENG_TMP/$1.pid pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  kill -TERM "$pid" 2>/dev/null || { rm -f "$f"; return 0; }
  for i in $(seq 1 400); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -f "$f"
}

# Processes in the sandbox's mount namespace: the daemons, shims, conmon and runtime calls
# they made (containers have mount namespaces of their own and go with their cgroups).
sandbox_pids() {
  local ns p
  ns=$(readlink "/proc/$HOLDER/ns/mnt") || return 0
  for p in /proc/[0-9]*; do
    [ "${p#/proc/}" = "$HOLDER" ] && continue
    [ "$(readlink "$p/ns/mnt" 2>/dev/null)" = "$ns" ] && echo "${p#/proc/}"
  done
  return 0
}

# cgroup dirs under the engine's prefixes (`libpod_parent`, `docker`, a ctr namespace).
cgroups_under() {
  local prefix
  for prefix in "$@"; do
    find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d -name "$prefix" 2>/dev/null |
      while read -r d; do find "$d" -depth -type d; done
  done
  return 0
}

# snapshot_cgroups PREFIX...: what existed before the suite, never removed by it.
snapshot_cgroups() { cgroups_under "$@" | sort >"$ENG_TMP/cgroups.before"; }

# remove_new_cgroups PREFIX...: kills what is inside the cgroups the suite made, removes them.
remove_new_cgroups() {
  local d p
  cgroups_under "$@" | sort | comm -23 - "$ENG_TMP/cgroups.before" |
    awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2- | while read -r d; do
      for p in $(cat "$d/cgroup.procs" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
      rmdir "$d" 2>/dev/null || { sleep 0.2; rmdir "$d" 2>/dev/null; } || true
    done
}

# sandbox_stop PREFIX...: after the engine has removed its containers and its daemons are
# stopped: kills what is left in the sandbox, the holder, the cgroups made, the temp dir.
sandbox_stop() {
  [ -n "${ENG_TMP:-}" ] && [ -d "$ENG_TMP" ] || return 0
  local p
  if [ -n "${HOLDER:-}" ]; then
    for p in $(sandbox_pids); do kill -KILL "$p" 2>/dev/null; done
    kill -KILL "$HOLDER" 2>/dev/null
    wait "$HOLDER" 2>/dev/null
  fi
  [ -f "$ENG_TMP/cgroups.before" ] && remove_new_cgroups "$@"
  # The sandbox's mounts died with its namespace; nothing under ENG_TMP is mounted here.
  rm -rf --one-file-system "$ENG_TMP"
}

# containers_storage DIR: storage and (empty) registries configs for podman or buildah, all
# under DIR, and the variables that point the engine at them and at DIR/containers.conf.
containers_storage() {
  local w=$1
  cat >"$w/storage.conf" <<CONF
[storage]
driver = "overlay"
graphroot = "$w/storage"
runroot = "$w/run"
CONF
  : >"$w/registries.conf"
  export CONTAINERS_CONF=$w/containers.conf CONTAINERS_STORAGE_CONF=$w/storage.conf
  export CONTAINERS_REGISTRIES_CONF=$w/registries.conf
}

# make_rootfs DIR: a busybox-static root with the applets the cases use and a /www page.
make_rootfs() {
  local root=$1 a
  mkdir -p "$root"/{bin,etc,proc,sys,dev,tmp,root,www}
  cp "$BUSYBOX" "$root/bin/busybox"
  for a in $("$BUSYBOX" --list); do
    [ "$a" = busybox ] || ln -sf busybox "$root/bin/$a"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  echo hello-from-hull >"$root/www/index.html"
  chmod 1777 "$root/tmp"
}

# make_rootfs_tar FILE: the rootfs as a tar for `podman import` / `docker import`.
make_rootfs_tar() {
  make_rootfs "$ENG_TMP/rootfs"
  tar -C "$ENG_TMP/rootfs" -cf "$1" .
}

# wait_until CMD...: polls a condition of the test (no time limit of our own).
wait_until() {
  local i
  for i in $(seq 1 600); do
    "$@" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "# never true: $*" >&2
  return 1
}
