#!/usr/bin/env bash
# The pure cgroup v2 suite: boots user-mode Linux guests (scripts/uml) whose kernel has only
# cgroup2, and runs the cgroup end-to-end suites and the core lifecycle/exec conformance in
# them against hull, with runc as the oracle. Prints one TAP stream (the guests' bats
# results, numbered across them), so every case counts on its own; a guest that cannot start
# or never finishes is one failing case saying why.
# A guest runs on one CPU, so the default selection is split in two halves that run in two
# guests side by side (V2_GUESTS=1: one guest runs both).
# Environment: as the other conformance suites (HULL, PROBE, RECVTTY, NO_CLONE3,
# CONFORMANCE_DIR); V2_SUITES replaces the selection (one guest; see guest-suite.sh).
set -uo pipefail
conf=${CONFORMANCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
root=$(cd "$conf/.." && pwd)

source "$root/scripts/uml/lib.sh"
if ! why=$(uml_why_not); then
  echo "1..1"
  echo "not ok 1 v2: boot the cgroup v2 guest # $why"
  exit 1
fi
cd "$root" || exit 1

# selections (guest-suite.sh's format), halves of about equal time: the cgroup suites in one
# guest, v2.bats, the lifecycle cases and exec's cgroup cases in the other.
groups=('cgroups.bats@v2-guest'
  'v2/v2.bats
lifecycle.bats|create -> created|state is OCI|kill --all|run exits with the|delete of a running
exec/exec.bats|^exec: (joins every namespace|--cgroup runs in|a command not found)')
groups[0]+=$'\nv2/rootless.bats' # issue 15: rootless cgroups, a delegated subtree
if [ -n "${V2_SUITES:-}" ]; then
  groups=("$V2_SUITES")
elif [ "${V2_GUESTS:-2}" = 1 ]; then
  groups=("$(printf '%s\n' "${groups[@]}")")
fi

tmp=$(mktemp -d /tmp/hull-v2.XXXXXX) || exit 1
pids=()
# each run.sh ends its guest when it is ended
trap 'trap "" INT TERM HUP; [ ${#pids[@]} = 0 ] || kill "${pids[@]}" 2>/dev/null; wait; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
for i in "${!groups[@]}"; do
  # --disk: a real block device for io.max and the stuck-writer freeze case
  bash "$root/scripts/uml/run.sh" --mem 1G --disk 64 -- \
    env HULL="$HULL" PROBE="$PROBE" RECVTTY="${RECVTTY:-}" NO_CLONE3="${NO_CLONE3:-}" \
    CONFORMANCE_DIR="$conf" V2_SUITES="${groups[$i]}" bash "$conf/v2/guest-suite.sh" \
    >"$tmp/out.$i" 2>"$tmp/err.$i" &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}"
  echo $? >"$tmp/rc.$i"
done
pids=()

n=0 rc=0
for i in "${!groups[@]}"; do
  cat "$tmp/err.$i" >&2
  bad=0
  while IFS= read -r line; do
    case $line in
      1..*) ;;
      "ok "* | "not ok "*)
        n=$((n + 1))
        [[ $line == "not ok "* ]] && bad=1
        [[ $line =~ ^(ok|not ok)\ [0-9]+(.*)$ ]] && line="${BASH_REMATCH[1]} $n${BASH_REMATCH[2]}"
        echo "$line" ;;
      *) echo "$line" ;;
    esac
  done <"$tmp/out.$i"
  r=$(cat "$tmp/rc.$i" 2>/dev/null || echo 125)
  [ "$r" = 0 ] || rc=1
  # a guest that failed without a failing case (did not boot, its suite broke) is one
  if [ "$r" != 0 ] && [ $bad = 0 ]; then
    n=$((n + 1))
    echo "not ok $n v2: guest $((i + 1)) ended with status $r (the guest's stderr and console log are on stderr)"
  fi
done
echo "1..$n"
exit $rc
