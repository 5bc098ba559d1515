#!/usr/bin/env bash
# bench/order/make-order.sh HULL [OUT] (root): writes the symbol order of hull's text (default
# src/cli/hot-text.order) from what the commands of bench/runtime.sh execute, library code
# included. Each command runs once under steptrace (every instruction of every hull process);
# the functions that ran are listed in the order they first ran. The link puts them
# first (src/cli/meson.build), so a command maps a few 64 KiB windows of text instead of most
# of the binary. Rerun after changes that move much code; names that no longer exist are
# skipped by the linker, and new code only lands among the cold functions.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
hull=$(realpath "${1:?usage: make-order.sh HULL [OUT]}")
out=${2:-$here/../../src/cli/hot-text.order}
for t in cc nm jq busybox runc; do
  command -v "$t" >/dev/null || { echo "make-order: $t is not installed" >&2; exit 2; }
done

work=$(mktemp -d /tmp/hull-order.XXXXXX)
root=$work/state
cleanup() {
  local id
  for id in $("$hull" --root "$root" list -q 2>/dev/null); do
    "$hull" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

cc -O2 -o "$work/steptrace" "$here/steptrace.c"
source "$here/../bundles.bash"
bench_bundles "$work" "$(command -v runc)"

addrs=$work/addrs
traced() { "$work/steptrace" "$addrs" "$hull" "$hull" --root "$root" "$@" >/dev/null; }
traced --version
traced features
traced spec --bundle "$work" --rootless 2>/dev/null || true
traced run --bundle "$work/plain" o-run
# as every container after the first does, from the cache of compiled seccomp programs
"$hull" --root "$root" run --bundle "$work/seccomp" o-warm
traced run --bundle "$work/seccomp" o-sec
traced run --bundle "$work/limits" o-lim
traced create --bundle "$work/sleeper" o-life
traced start o-life
traced state o-life
traced list
traced ps o-life
traced exec o-life /bin/true
traced pause o-life
traced resume o-life
traced update --pids-limit 40 o-life
traced events --stats o-life
traced kill o-life KILL
traced delete --force o-life
traced create --bundle "$work/plain" o-done
traced start o-done
while [ "$("$hull" --root "$root" state o-done | jq -r .status)" != stopped ]; do sleep 0.05; done
traced delete o-done
traced state o-missing 2>/dev/null || true # the error path: first throw, the unwinder

# Each address to the function holding it; the functions in the order they first ran, so the
# startup code, which runs before prefault.cpp can map the rest in one call, takes the first
# pages. Between the markers that prefault.cpp maps.
nm -n -S --defined-only "$hull" >"$work/syms"
python3 -c '
import bisect, sys
funcs = []  # (start, end, name) of the text symbols, ifuncs included
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) == 4 and f[2] in "tTwWi":
        start = int(f[0], 16)
        funcs.append((start, start + int(f[1], 16), f[3]))
funcs.sort()
starts = [f[0] for f in funcs]
done = set()
print("hull_hot_text_begin")
for line in open(sys.argv[2]):
    a = int(line, 16)
    i = bisect.bisect_right(starts, a) - 1
    # every name that starts there (aliases) goes in
    j = i
    while i >= 0 and j >= 0 and starts[j] == starts[i]:
        if a < funcs[j][1] and j not in done:
            done.add(j)
            print(funcs[j][2])
        j -= 1
print("hull_hot_text_end")
' "$work/syms" "$addrs" >"$work/order"
[ -s "$work/order" ] || { echo "make-order: no function was traced" >&2; exit 1; }
mv "$work/order" "$out"
echo "make-order: $(wc -l <"$out") functions -> $out"
