#!/usr/bin/env bash
# Runs a command inside a user-mode Linux guest whose root is this host's tree (a pure
# cgroup v2 kernel: cgroup2 on /sys/fs/cgroup, tmpfs on /run, /tmp and the other scratch
# dirs) and exits with its status; its stdout and stderr come back as ours.
#   scripts/uml/run.sh [--mem SIZE] [--disk MIB] [--log FILE] [--] COMMAND [ARGS...]
# --disk gives the guest a block device /dev/ubda (98:0) of that size, backed by a sparse
# file that is removed afterwards.
# The command runs as root in the current directory, which stays the host's even when it lies
# under a dir the guest hides with a tmpfs (/tmp, /run, /root, /home). Status 125 with the end of
# the console log when the guest cannot start or the command never finished.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/lib.sh"

mem=1G log="" disk=""
while [ $# -gt 0 ]; do
  case $1 in
    --mem) mem=$2; shift 2 ;;
    --log) log=$2; shift 2 ;;
    --disk) disk=$2; shift 2 ;;
    --) shift; break ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--mem SIZE] [--disk MIB] [--log FILE] [--] COMMAND [ARGS...]" >&2; exit 2; }

if ! why=$(uml_why_not); then
  echo "uml: no guest can start: $why" >&2
  exit 125
fi
xchg=$(mktemp -d "${UML_XCHG_PARENT:-/tmp}/hull-uml.XXXXXX") || exit 125
uml_pid=""
# the guest goes with us (meson's timeout, ^C; a second signal must not cut this short:
# timeout(1) signals the whole group, and a caller may signal us again)
trap 'trap "" INT TERM HUP; uml_kill "$xchg"; rm -rf "$xchg"' EXIT
trap 'exit 130' INT TERM HUP
[ -n "$log" ] || log=$xchg/console.log
uml_prepare "$xchg" "$PWD" "$@"
# the current directory stays visible in the guest even under a scratch dir it hides
args=("hull_keep=$PWD")
if [ -n "$disk" ]; then
  truncate -s "${disk}M" "$xchg/disk.img" || exit 125
  args+=("ubd0=$xchg/disk.img")
fi
# linux.uml keeps its memory in a file under TMPDIR: the host's /dev/shm when there is room
TMPDIR=/dev/shm uml_boot / "$here/guest-init.sh" "$mem" "$xchg" "$log" "${args[@]}" &
uml_pid=$!
# (waits, not foreground commands, so that a signal's trap runs at once)
uml_stream "$xchg" "$uml_pid" &
wait "$uml_pid"
boot_rc=$?
wait
uml_result "$xchg" "$log" streamed
rc=$?
if [ $rc = 125 ] && [ $boot_rc != 0 ]; then
  echo "uml: linux.uml exited $boot_rc" >&2
fi
exit $rc
