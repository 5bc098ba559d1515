#!/usr/bin/env bash
# hull against crun and runc on every target of issue 14, interleaved in one run.
#
#   bench/runtime.sh [-n ROUNDS] [-c CASES] [-k RUNS_PER_WORKER]
#   env: HULL (default build/src/cli/hull), CRUN, RUNC (default: on PATH); an empty or missing
#        runtime is skipped. HULL_BENCH_KEEP=1 keeps the raw samples (*.us) beside the work dir.
#        SPAWN_TIME: the timer (spawn-time.c, compiled here when unset); empty: the shell times.
#
# CASES (comma separated, default all):
#   run       `run /bin/true` (and `unshare -fpmuin true`, the namespaces alone, as a floor)
#   seccomp   the same with docker's default seccomp profile (bench/docker-seccomp.json)
#   limits    the same with memory+pids+cpu limits; printed as a ratio to the plain run
#   exec      `exec /bin/true` into a running container
#   lifecycle create, start and delete of /bin/true, each timed on its own (delete: stopped)
#   state     `state` of a running container, and `--version` (the CLI's own startup)
#   rss       peak RSS of `create` (wait4's ru_maxrss through GNU time)
#   par       throughput of `run /bin/true` with 2 and 8 parallel workers, containers/s
#
# Each round runs every case once per runtime, the runtimes in turn, so load on this shared
# machine hits all of them alike; each runtime has its own --root. Medians (and means) of the
# rounds are printed with the ratios hull/crun and hull/runc (for par: crun's time per
# container over hull's, i.e. how many times hull's throughput is crun's).
#
# crun 1.8 refuses this machine's hybrid cgroups while the empty cgroup2 at
# /sys/fs/cgroup/unified is visible, so the whole bench runs in a private mount namespace
# with a tmpfs over it, for every runtime alike.
set -euo pipefail

rounds=30
cases=run,seccomp,limits,exec,lifecycle,state,rss,par
per_worker=4
usage() { sed -n '2,26p' "$0"; exit 2; }
while getopts "n:c:k:h" opt; do
  case $opt in
    n) rounds=$OPTARG ;;
    c) cases=$OPTARG ;;
    k) per_worker=$OPTARG ;;
    *) usage ;;
  esac
done
want() { [[ ",$cases," == *",$1,"* ]]; }

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")

if [ "$(id -u)" != 0 ]; then
  echo "bench: needs root (containers are created for real)" >&2
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

find_runtime() { # NAME DEFAULT... (the env var NAME in upper case wins when set)
  local name=$1 var given c
  var=${1^^}
  shift
  if [ -n "${!var+x}" ]; then
    given=${!var}
    [ -z "$given" ] && return 0
    [ -x "$given" ] && { echo "$given"; return; }
    echo "bench: $var not executable: $given" >&2
    return 0
  fi
  for c in "$@"; do
    [ -n "$c" ] && [ -x "$c" ] && { echo "$c"; return; }
  done
  return 0
}

declare -A bin
bin[hull]=$(find_runtime hull "$repo/build/src/cli/hull" "$repo/build/hull")
bin[crun]=$(find_runtime crun "$(command -v crun || true)")
bin[runc]=$(find_runtime runc "$(command -v runc || true)")
runtimes=()
for r in hull crun runc; do
  if [ -n "${bin[$r]}" ]; then
    runtimes+=("$r")
  else
    echo "note: $r not found (built/installed), skipped" >&2
  fi
done
[ "${#runtimes[@]}" -gt 0 ] || { echo "bench: no runtime to measure" >&2; exit 1; }

# The state roots live on a tmpfs, as /run does for engines; container ids carry this run's
# pid, so that cgroups (named after the id) never meet those of anything else on the host.
work=$(mktemp -d /tmp/hull-bench.XXXXXX)
mount -t tmpfs -o mode=0700 hull-bench "$work"
tag=hb$$
rt() { local r=$1; shift; "${bin[$r]}" --root "$work/root-$r" "$@"; }
cleanup() {
  local r id
  for r in "${runtimes[@]}"; do
    for id in $(rt "$r" list -q 2>/dev/null); do
      rt "$r" delete --force "$id" >/dev/null 2>&1 || true
    done
  done
  if [ -n "${HULL_BENCH_KEEP:-}" ]; then
    mkdir -p "$work.samples" && cp "$work"/*.us "$work.samples/" 2>/dev/null || true
    echo "bench: samples kept in $work.samples" >&2
  fi
  umount "$work" && rmdir "$work"
}
trap cleanup EXIT

# One busybox-static rootfs for all; one config dir per case, from the installed runc's spec
# (then crun's, then hull's), pointing at it. Not ${bin[runc]}: RUNC may name another build of
# hull, whose ociVersion (1.2.0) crun 1.8.1 refuses. The root is read-only, so parallel runs
# can share it.
spec_tool=$(command -v runc || true)
spec_tool=${spec_tool:-${bin[crun]:-${bin[hull]}}}
source "$here/bundles.bash"
bench_bundles "$work" "$spec_tool"

fail() { # NAME
  echo "bench: $1 failed: $(tail -3 "$work/$1.err" 2>/dev/null)" >&2
  exit 1
}

# The timer: spawn-time (spawn-time.c) starts each timed command as engines start a runtime,
# without a copy of this shell; SPAWN_TIME names a built one, else it is compiled here. With
# SPAWN_TIME set but empty, or without a compiler, the shell times the command, its fork
# included (~1 ms more for every runtime alike).
spawn_time=${SPAWN_TIME-}
if [ -z "${SPAWN_TIME+set}" ] && command -v cc >/dev/null; then
  cc -O2 -o "$work/spawn-time" "$here/spawn-time.c" && spawn_time=$work/spawn-time
fi
[ -n "$spawn_time" ] || echo "note: timed from the shell, its fork included" >&2

# time_one NAME CMD...: appends the wall time in microseconds to $work/NAME.us. CMD may start
# with `rt RUNTIME`, as a command line does. Shell timestamps (here and in par_one) are read
# straight from EPOCHREALTIME: a $(...) around them would fork a subshell inside the timed span
# (its exit after t0, its fork before t1), ~2.5 ms of the shell's own added to every runtime.
time_one() {
  local name=$1 t0 t1
  shift
  if [ "$1" = rt ]; then set -- "${bin[$2]}" --root "$work/root-$2" "${@:3}"; fi
  if [ -n "$spawn_time" ]; then
    "$spawn_time" "$@" >/dev/null 2>>"$work/$name.err" </dev/null 3>>"$work/$name.us" ||
      fail "$name"
    return
  fi
  t0=${EPOCHREALTIME/./}
  "$@" >/dev/null 2>>"$work/$name.err" </dev/null || fail "$name"
  t1=${EPOCHREALTIME/./}
  echo $((t1 - t0)) >>"$work/$name.us"
}

# Waits (untimed) until a started /bin/true has exited, so delete meets a stopped container.
wait_stopped() { # RUNTIME ID
  local i
  for ((i = 0; i < 10000; i++)); do
    [[ "$(rt "$1" state "$2" 2>/dev/null)" == *'"stopped"'* ]] && return 0
  done
  echo "bench: $1 container $2 never stopped" >&2
  exit 1
}

# par_one RUNTIME WORKERS ROUND: WORKERS shells each run per_worker containers in sequence;
# appends the wall time per container (us) to $work/par<WORKERS>-RUNTIME.us
par_one() {
  local r=$1 p=$2 i=$3 w t0 t1 pids=() bad=0
  t0=${EPOCHREALTIME/./}
  for ((w = 0; w < p; w++)); do
    (
      for ((k = 0; k < per_worker; k++)); do
        rt "$r" run -b "$work/plain" "$tag-p$p-$i-$w-$k" >/dev/null 2>>"$work/par$p-$r.err" </dev/null ||
          exit 1
      done
    ) &
    pids+=($!)
  done
  for w in "${pids[@]}"; do wait "$w" || bad=1; done
  t1=${EPOCHREALTIME/./}
  [ "$bad" = 0 ] || fail "par$p-$r"
  echo $(((t1 - t0) / (p * per_worker))) >>"$work/par$p-$r.us"
}

for r in "${runtimes[@]}"; do
  # warm caches once per runtime so the first round is not an outlier
  rt "$r" run -b "$work/plain" "$tag-warm-$r" >/dev/null </dev/null
  if want exec; then rt "$r" run -d -b "$work/sleeper" "$tag-exec-$r" >/dev/null </dev/null; fi
  if want state; then
    rt "$r" create -b "$work/sleeper" "$tag-state-$r" >/dev/null </dev/null
    rt "$r" start "$tag-state-$r"
  fi
done

echo "bench: $rounds rounds of [$cases] for ${runtimes[*]}" >&2
for ((i = 1; i <= rounds; i++)); do
  if want run; then time_one floor unshare -fpmuin true; fi
  for r in "${runtimes[@]}"; do
    if want run; then time_one "run-$r" rt "$r" run -b "$work/plain" "$tag-r$i"; fi
    if want seccomp; then time_one "seccomp-$r" rt "$r" run -b "$work/seccomp" "$tag-s$i"; fi
    if want limits; then time_one "limits-$r" rt "$r" run -b "$work/limits" "$tag-l$i"; fi
    if want exec; then time_one "exec-$r" rt "$r" exec "$tag-exec-$r" /bin/true; fi
    if want lifecycle; then
      time_one "create-$r" rt "$r" create -b "$work/plain" "$tag-c$i"
      time_one "start-$r" rt "$r" start "$tag-c$i"
      wait_stopped "$r" "$tag-c$i"
      time_one "delete-$r" rt "$r" delete "$tag-c$i"
    fi
    if want state; then
      time_one "state-$r" rt "$r" state "$tag-state-$r"
      time_one "version-$r" "${bin[$r]}" --version
    fi
    if want rss; then
      /usr/bin/time -f %M -o "$work/time.out" "${bin[$r]}" --root "$work/root-$r" create -b "$work/plain" "$tag-m$i" \
        >/dev/null 2>>"$work/rss-$r.err" </dev/null || fail "rss-$r"
      tail -1 "$work/time.out" >>"$work/rss-$r.us"
      rt "$r" delete --force "$tag-m$i" >/dev/null 2>&1
    fi
    if want par; then
      par_one "$r" 2 "$i"
      par_one "$r" 8 "$i"
    fi
  done
  printf '.' >&2
done
echo >&2

stats() { # FILE -> "median mean" (raw units)
  sort -n "$1" | awk '{ v[NR] = $1; s += $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.0f %.0f\n", m, s / NR }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
ms() { awk -v a="$1" 'BEGIN { printf "%.2f", a / 1000 }'; }

declare -A med mean
for f in "$work"/*.us; do
  n=$(basename "$f" .us)
  read -r "med[$n]" "mean[$n]" < <(stats "$f")
done

# One line per case: the median (mean) of each runtime, then hull's ratios.
printf '%-16s' case
for r in "${runtimes[@]}"; do printf '%22s' "$r"; done
printf '   ratios (median)\n'
row() { # CASE UNIT: UNIT ms (time, lower is better), kB (rss), c/s (par: higher is better)
  local c=$1 unit=$2 r v vm line=""
  [ -n "${med[$c-${runtimes[0]}]:-}" ] || return 0
  printf '%-16s' "$c"
  for r in "${runtimes[@]}"; do
    v=${med[$c-$r]:-}
    vm=${mean[$c-$r]:-}
    case $unit in
      ms) printf '%22s' "$(ms "$v") ($(ms "$vm")) ms" ;;
      kB) printf '%22s' "$v kB" ;;
      c/s) printf '%22s' "$(ratio 1000000 "$v") c/s" ;;
    esac
  done
  if [ -n "${bin[hull]}" ]; then
    for r in crun runc; do
      [ -n "${bin[$r]}" ] || continue
      if [ "$unit" = c/s ]; then
        line+="  hull/$r $(ratio "${med[$c-$r]}" "${med[$c-hull]}")x"
      else
        line+="  hull/$r $(ratio "${med[$c-hull]}" "${med[$c-$r]}")x"
      fi
    done
  fi
  echo "  $line"
}
for c in run seccomp limits exec create start delete state version; do row "$c" ms; done
row rss kB
row par2 c/s
row par8 c/s
if [ -n "${med[floor]:-}" ]; then
  echo "floor (unshare -fpmuin true): $(ms "${med[floor]}") ($(ms "${mean[floor]}")) ms"
fi
if want limits && want run; then
  line="limits/plain run (median):"
  for r in "${runtimes[@]}"; do line+=" $r $(ratio "${med[limits-$r]}" "${med[run-$r]}")x"; done
  echo "$line"
fi
