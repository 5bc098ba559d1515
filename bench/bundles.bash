# The bench's bundles, shared by runtime.sh and order/make-order.sh.
#
#   bench_bundles WORK SPEC_TOOL
#
# One busybox-static rootfs (WORK/rootfs: true, sleep, sh) and one config dir per case under
# WORK (plain, sleeper, seccomp, limits), each `/bin/true` unless the case says otherwise,
# from SPEC_TOOL's `spec` with the root pointed at that rootfs.
bench_bundles() {
  local work=$1 spec_tool=$2 dir
  dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  mkdir -p "$work/rootfs/bin" "$work/rootfs/proc" "$work/rootfs/sys" "$work/rootfs/dev" \
    "$work/spec"
  cp "$(command -v busybox)" "$work/rootfs/bin/busybox"
  local t
  for t in true sleep sh; do ln -s busybox "$work/rootfs/bin/$t"; done
  (cd "$work/spec" && "$spec_tool" spec)
  _bench_config "$work" plain '.'
  _bench_config "$work" sleeper '.process.args = ["/bin/sleep", "1000000"]'
  _bench_config "$work" seccomp '.linux.seccomp = $p[0]' --slurpfile p "$dir/docker-seccomp.json"
  _bench_config "$work" limits '.linux.resources = {
    "memory": {"limit": 67108864, "swap": 134217728},
    "pids": {"limit": 50},
    "cpu": {"shares": 512, "quota": 50000, "period": 100000}}'
}

_bench_config() { # WORK NAME JQ_FILTER [jq args...]
  local work=$1 name=$2 filter=$3
  shift 3
  mkdir -p "$work/$name"
  jq "$@" --arg root "$work/rootfs" \
    '.process.terminal = false | .process.args = ["/bin/true"] | .root.path = $root | '"$filter" \
    "$work/spec/config.json" >"$work/$name/config.json"
}
