#!/usr/bin/env bash
# Start latency and create-time memory of hull against runc and crun, in one run.
#
#   bench/start-latency.sh [-n ROUNDS] [-m RSS_SAMPLES]
#   env: HULL (hull binary; default build/src/cli/hull), RUNC, CRUN (default: on PATH)
#
# Each round runs `RUNTIME run` of the same busybox /bin/true bundle once per runtime, in turn
# (interleaved, so load on this shared machine hits all of them alike), each runtime with its
# own --root. Prints mean and median ms per container, the peak RSS of `create` (median of
# RSS_SAMPLES, measured with /usr/bin/time), and the ratios hull/crun and hull/runc.
# `unshare -fpmuin true` is timed the same way as a floor: the namespaces alone.
#
# crun 1.8 refuses this machine's hybrid cgroups while the empty cgroup2 at
# /sys/fs/cgroup/unified is visible, so the whole bench runs in a private mount namespace
# with a tmpfs over it, for every runtime alike.
set -euo pipefail

rounds=200
rss_samples=20
while getopts "n:m:h" opt; do
  case $opt in
    n) rounds=$OPTARG ;;
    m) rss_samples=$OPTARG ;;
    *) sed -n '2,14p' "$0"; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

if [ "$(id -u)" != 0 ]; then
  echo "start-latency: needs root (containers are created for real)" >&2
  exit 1
fi

# Re-enter inside a private mount namespace with the empty cgroup2 hidden.
if [ -z "${HULL_BENCH_INNER:-}" ]; then
  export HULL_BENCH_INNER=1
  exec unshare -m --propagation private bash -c '
    if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
      mount -t tmpfs hull-bench-hide /sys/fs/cgroup/unified
    fi
    exec "$0" "$@"' "$0" "$@"
fi

find_runtime() { # NAME ENV_VALUE DEFAULT...
  local name=$1 given=$2
  shift 2
  if [ -n "$given" ]; then
    [ -x "$given" ] && { echo "$given"; return; }
    echo "start-latency: $name not executable: $given" >&2
    return 0
  fi
  local c
  for c in "$@"; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return; }
  done
  return 0
}

declare -A bin
bin[hull]=$(find_runtime hull "${HULL:-}" "$repo/build/src/cli/hull" "$repo/build/hull")
bin[runc]=$(find_runtime runc "${RUNC:-}" "$(command -v runc || true)")
bin[crun]=$(find_runtime crun "${CRUN:-}" "$(command -v crun || true)")
runtimes=()
for r in hull crun runc; do
  if [ -n "${bin[$r]}" ]; then
    runtimes+=("$r")
  else
    echo "note: $r not found (built/installed), skipped" >&2
  fi
done
[ "${#runtimes[@]}" -gt 0 ] || { echo "start-latency: no runtime to measure" >&2; exit 1; }

work=$(mktemp -d /tmp/hull-bench.XXXXXX)
cleanup() {
  local r id
  for r in "${runtimes[@]}"; do
    for id in $("${bin[$r]}" --root "$work/root-$r" list -q 2>/dev/null); do
      "${bin[$r]}" --root "$work/root-$r" delete --force "$id" >/dev/null 2>&1 || true
    done
  done
  rm -rf --one-file-system "$work"
}
trap cleanup EXIT

# One bundle for all: busybox-static as /bin/true, config from runc's spec (crun's as fallback).
bundle=$work/bundle
mkdir -p "$bundle/rootfs/bin" "$bundle/rootfs/proc" "$bundle/rootfs/sys" "$bundle/rootfs/dev"
cp "$(command -v busybox)" "$bundle/rootfs/bin/busybox"
ln -s busybox "$bundle/rootfs/bin/true"
spec_tool=${bin[runc]:-${bin[crun]:-${bin[hull]}}}
(cd "$bundle" && "$spec_tool" spec)
jq '.process.terminal = false | .process.args = ["/bin/true"]' "$bundle/config.json" >"$bundle/c.json"
mv "$bundle/c.json" "$bundle/config.json"

now_us() { local t=${EPOCHREALTIME/./}; echo "$t"; }

# time_one NAME CMD...: appends the wall time in microseconds to $work/NAME.us
time_one() {
  local name=$1 t0 t1
  shift
  t0=$(now_us)
  "$@" >/dev/null 2>>"$work/$name.err" </dev/null || {
    echo "start-latency: $name failed: $(tail -3 "$work/$name.err")" >&2
    exit 1
  }
  t1=$(now_us)
  echo $((t1 - t0)) >>"$work/$name.us"
}

# warm caches once per runtime so the first round is not an outlier
for r in "${runtimes[@]}"; do
  "${bin[$r]}" --root "$work/root-$r" run -b "$bundle" "warm-$r" >/dev/null </dev/null
done

echo "start-latency: $rounds rounds of run /bin/true: ${runtimes[*]} and the unshare floor" >&2
for ((i = 1; i <= rounds; i++)); do
  time_one floor unshare -fpmuin true
  for r in "${runtimes[@]}"; do
    time_one "$r" "${bin[$r]}" --root "$work/root-$r" run -b "$bundle" "b$i-$r"
  done
done

# peak RSS of `create` (kB, from wait4's ru_maxrss via GNU time), then the container is deleted
for ((i = 1; i <= rss_samples; i++)); do
  for r in "${runtimes[@]}"; do
    /usr/bin/time -f %M -o "$work/time.out" \
      "${bin[$r]}" --root "$work/root-$r" create -b "$bundle" "m$i-$r" >/dev/null 2>&1 </dev/null
    tail -1 "$work/time.out" >>"$work/$r.rss"
    "${bin[$r]}" --root "$work/root-$r" delete --force "m$i-$r" >/dev/null 2>&1
  done
done

stats() { # FILE -> "mean median" in ms with 2 decimals
  sort -n "$1" | awk '{ v[NR] = $1; s += $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f %.2f\n", s / NR / 1000, m / 1000 }'
}
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

declare -A mean med rss
printf '%-8s %10s %10s %16s  %s\n' runtime mean_ms median_ms create_rss_kB binary
for r in floor "${runtimes[@]}"; do
  read -r mean[$r] med[$r] < <(stats "$work/$r.us")
  if [ "$r" = floor ]; then
    rss[$r]=-
    printf '%-8s %10s %10s %16s  %s\n' "$r" "${mean[$r]}" "${med[$r]}" - "unshare -fpmuin true"
  else
    rss[$r]=$(median "$work/$r.rss")
    printf '%-8s %10s %10s %16s  %s\n' "$r" "${mean[$r]}" "${med[$r]}" "${rss[$r]}" "${bin[$r]}"
  fi
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
if [ -n "${bin[hull]}" ]; then
  for other in crun runc; do
    [ -n "${bin[$other]}" ] || continue
    echo "hull/$other: time(median) $(ratio "${med[hull]}" "${med[$other]}")x" \
      "time(mean) $(ratio "${mean[hull]}" "${mean[$other]}")x" \
      "create RSS $(ratio "${rss[hull]}" "${rss[$other]}")x"
  done
else
  echo "hull not built: no ratios (crun/runc time(median): $(ratio "${med[crun]:-0}" "${med[runc]:-0}")x)"
fi
