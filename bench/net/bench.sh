#!/usr/bin/env bash
# Setup+teardown time of oci-bridge against Debian's CNI plugins doing the same job (bridge
# with host-local IPAM and ipMasq), in the same run, inside a throwaway network namespace that
# acts as the host. Each "container" is a sleeping process in a network namespace of its own,
# made before the clock starts; both tools are run as the binaries engines run.
#   bench/net/bench.sh OCI_BRIDGE [ROUNDS]
set -euo pipefail
if [ "${HULL_BENCH_IN_NETNS:-}" != 1 ]; then
  # Re-enter in a new network namespace: nothing below touches the machine's own network.
  HULL_BENCH_IN_NETNS=1 exec unshare -n "$0" "$@"
fi
bridge_bin=$(realpath "${1:?usage: bench.sh OCI_BRIDGE [ROUNDS]}")
rounds=${2:-30}
cni_dir=${CNI_PATH:-/usr/lib/cni}
[ -x "$cni_dir/bridge" ] || { echo "no $cni_dir/bridge: apt-get install containernetworking-plugins" >&2; exit 1; }

tmp=$(mktemp -d /tmp/hull-net-bench.XXXXXX)
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
ip link set lo up

cat >"$tmp/hull.json" <<JSON
{"name": "bench", "bridge": "hullbench0", "subnet": "10.21.0.0/16", "masquerade": true}
JSON
cat >"$tmp/cni.json" <<JSON
{"cniVersion": "1.0.0", "name": "bench", "type": "bridge", "bridge": "cnibench0",
 "isGateway": true, "ipMasq": true,
 "ipam": {"type": "host-local", "subnet": "10.22.0.0/16", "dataDir": "$tmp/cni-ipam",
          "routes": [{"dst": "0.0.0.0/0"}]}}
JSON

# One sleeping process per container and tool, in its own network namespace.
make_containers() {
  local n=$1 i
  CTRS=()
  for ((i = 0; i < n; i++)); do
    # stdio away from ours, or the sleepers would hold the caller's pipe open
    unshare -n sleep 3600 </dev/null >/dev/null 2>&1 &
    pids+=($!)
    CTRS+=($!)
  done
  # Every sleeper in its own netns before the clock starts (namespace creation takes rtnl).
  local self
  self=$(readlink /proc/self/ns/net)
  for i in "${CTRS[@]}"; do
    while [ "$(readlink "/proc/$i/ns/net")" = "$self" ]; do sleep 0.01; done
  done
  settle
}

# Waits until the kernel has finished destroying earlier containers' namespaces and veths,
# which it does in the background under rtnl and would slow whatever is timed next.
settle() {
  local n
  for n in $(seq 200); do
    [ -z "$(ip -o link show type veth)" ] && break
    sleep 0.05
  done
  sleep 0.2
}

now_ns() { date +%s%N; }

hull_add() {
  printf '{"ociVersion":"1.0.2","id":"b%s","pid":%s,"status":"creating","bundle":"%s"}' \
    "$1" "$1" "$tmp" | "$bridge_bin" --config "$tmp/hull.json" --state-dir "$tmp/hull-state"
}
hull_del() {
  printf '{"ociVersion":"1.0.2","id":"b%s","pid":%s,"status":"stopped"}' "$1" "$1" |
    "$bridge_bin" --config "$tmp/hull.json" --state-dir "$tmp/hull-state" --teardown
}
cni() {
  CNI_COMMAND=$1 CNI_CONTAINERID=b$2 CNI_NETNS=/proc/$2/ns/net CNI_IFNAME=eth0 \
    CNI_PATH=$cni_dir "$cni_dir/bridge" <"$tmp/cni.json" >/dev/null
}

# time_tool ADD DEL MODE: ms per container for setup and for teardown over fresh containers,
# after one warm-up container that creates the bridge and the NAT tables. MODE "running":
# teardown while the container still runs (as CNI DEL is called by podman); MODE "exited":
# the containers exit first, as before an OCI poststop hook, so their netns is gone.
time_tool() {
  local add=$1 del=$2 mode=$3 p t0 t1 t2 t3
  make_containers 1
  $add "${CTRS[0]}"
  $del "${CTRS[0]}"
  make_containers "$rounds"
  t0=$(now_ns)
  for p in "${CTRS[@]}"; do $add "$p"; done
  t1=$(now_ns)
  if [ "$mode" = exited ]; then
    for p in "${CTRS[@]}"; do kill "$p"; done
    wait "${CTRS[@]}" 2>/dev/null || true
    settle  # the runtime noticing the exit and the engine calling delete
  fi
  t2=$(now_ns)
  for p in "${CTRS[@]}"; do $del "$p"; done
  t3=$(now_ns)
  UP=$(((t1 - t0) / rounds))
  DOWN=$(((t3 - t2) / rounds))
}

cni_add() { cni ADD "$1"; }
cni_del() { cni DEL "$1"; }

ms() { awk -v ns="$1" 'BEGIN { printf "%.2f", ns / 1e6 }'; }
printf '%-44s %8s %9s %8s\n' "ms per container ($rounds rounds)" setup teardown total
for mode in ${BENCH_MODES:-exited running}; do
  time_tool hull_add hull_del "$mode"
  hull=$((UP + DOWN))
  printf '%-44s %8s %9s %8s\n' "oci-bridge, teardown after $mode" "$(ms "$UP")" "$(ms "$DOWN")" \
    "$(ms "$hull")"
  time_tool cni_add cni_del "$mode"
  cni=$((UP + DOWN))
  printf '%-44s %8s %9s %8s\n' "cni bridge+host-local+ipMasq, after $mode" "$(ms "$UP")" \
    "$(ms "$DOWN")" "$(ms "$cni")"
  awk -v a="$hull" -v b="$cni" -v m="$mode" \
    'BEGIN { printf "  ratio cni/oci-bridge (%s): %.1fx\n", m, b / a }'
done
echo "target: oci-bridge setup+teardown <= 10 ms per container"
