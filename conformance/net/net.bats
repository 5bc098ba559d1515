#!/usr/bin/env bats
# oci-bridge end to end with a real runtime (RUNTIME, default runc). Each test makes its own
# network namespace acting as the host; the runtime, the hooks and every client run inside it,
# so the machine's own interfaces, routes and firewall are never touched.

load ../lib/common
load helpers

setup() {
  [ "$(id -u)" -eq 0 ] || skip "needs root"
  [ -x "$OCI_BRIDGE" ] || skip "OCI_BRIDGE is not set to the built oci-bridge"
  TMP=$(mktemp -d /tmp/hull-net-e2e.XXXXXX)
  HOSTNS=hullnet-$$-$BATS_TEST_NUMBER
  ip netns add "$HOSTNS"
  in_host ip link set lo up
  NET_CONFIG=$TMP/net.json
  NET_STATE=$TMP/state
  ROOT=$TMP/runtime-root
  CONTAINERS=()
  cat >"$NET_CONFIG" <<JSON
{"name": "e2e", "bridge": "hbr0", "subnet": "10.66.0.0/24", "subnet6": "fd66::/64"}
JSON
}

teardown() {
  local id
  # also those made under `run`, whose CONTAINERS+= stayed in a subshell
  for id in "${CONTAINERS[@]}" $(in_host "$RUNTIME" --root "$ROOT" list -q 2>/dev/null); do
    in_host "$RUNTIME" --root "$ROOT" delete --force "$id" >/dev/null 2>&1 || true
  done
  [ -n "${HOSTNS:-}" ] && ip netns del "$HOSTNS" 2>/dev/null
  [ -n "${TMP:-}" ] && rm -rf "$TMP"
  true
}

in_host() { nsenter --net="/run/netns/$HOSTNS" "$@"; }

# run_container ID BUNDLE: create + start, detached from the test's output.
run_container() {
  CONTAINERS+=("$1")
  in_host "$RUNTIME" --root "$ROOT" create --bundle "$2" "$1" </dev/null >"$TMP/$1.log" 2>&1 ||
    { cat "$TMP/$1.log"; return 1; }
  in_host "$RUNTIME" --root "$ROOT" start "$1" </dev/null >>"$TMP/$1.log" 2>&1
}

container_pid() { in_host "$RUNTIME" --root "$ROOT" state "$1" | jq -r .pid; }
in_container() { nsenter --net="/proc/$(container_pid "$1")/ns/net" "${@:2}"; }
lease_ip() { jq -r --arg id "$1" ".[\$id].${2:-ipv4}" "$NET_STATE/e2e/leases.json"; }

@test "a container gets an address, a default route and reaches its gateway over v4 and v6" {
  net_bundle "$TMP/a" '["sleep", "300"]'
  run_container a "$TMP/a"
  run in_container a ip -o addr show dev eth0
  [[ "$output" == *"10.66.0.2/24"* ]]
  [[ "$output" == *"fd66::2/64"* ]]
  run in_container a ip route
  [[ "$output" == *"default via 10.66.0.1 dev eth0"* ]]
  in_container a busybox ping -c 1 -W 2 10.66.0.1
  in_container a busybox ping -c 1 -W 2 fd66::1
}

@test "two containers on one network ping each other" {
  net_bundle "$TMP/a" '["sleep", "300"]'
  net_bundle "$TMP/b" '["sleep", "300"]'
  run_container a "$TMP/a"
  run_container b "$TMP/b"
  [ "$(lease_ip a)" != "$(lease_ip b)" ]
  in_container a busybox ping -c 1 -W 2 "$(lease_ip b)"
  in_container b busybox ping -c 1 -W 2 "$(lease_ip a ipv6)"
}

@test "a published port answers from the host, on 127.0.0.1 and from another container" {
  net_bundle "$TMP/web" '["httpd", "-f", "-p", "80", "-h", "/www"]' "" \
    '{"hull.net.ports": "8080:80/tcp"}'
  net_bundle "$TMP/client" '["sleep", "300"]'
  run_container web "$TMP/web"
  run_container client "$TMP/client"
  local i out=""
  for i in $(seq 50); do
    out=$(in_host busybox wget -q -O- http://127.0.0.1:8080/ 2>/dev/null) && break
    sleep 0.2
  done
  [ "$out" = "hello-from-hull" ]
  [ "$(in_host busybox wget -q -O- http://10.66.0.1:8080/)" = "hello-from-hull" ]
  [ "$(in_host busybox wget -q -O- "http://[fd66::1]:8080/")" = "hello-from-hull" ]
  # hairpin: a container reaching the published port through the host's address
  [ "$(in_container client busybox wget -q -O- http://10.66.0.1:8080/)" = "hello-from-hull" ]
  run in_host nft list table inet hull
  [[ "$output" == *"masquerade"* ]]
  run in_host nft list set inet hull masq4
  [[ "$output" == *"10.66.0.0/24"* ]]
}

@test "delete runs the poststop hook: veth, port mapping and lease are gone" {
  net_bundle "$TMP/a" '["sleep", "300"]' "" '{"hull.net.ports": "8080:80"}'
  run_container a "$TMP/a"
  local veth
  veth=$(jq -r .a.veth "$NET_STATE/e2e/leases.json")
  in_host ip link show "$veth"
  in_host "$RUNTIME" --root "$ROOT" delete --force a
  run in_host ip link show "$veth"
  [ "$status" -ne 0 ]
  run in_host nft list map inet hull ports4
  [[ "$output" != *"8080"* ]]
  [ "$(jq -r 'keys | length' "$NET_STATE/e2e/leases.json")" = 0 ]
}

@test "20 containers created concurrently get 20 addresses; deleting them releases all" {
  local i pids=()
  net_bundle "$TMP/c" '["sleep", "300"]'
  for i in $(seq 20); do
    CONTAINERS+=("c$i")
    in_host "$RUNTIME" --root "$ROOT" create --bundle "$TMP/c" "c$i" </dev/null \
      >"$TMP/c$i.log" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  [ "$(jq -r '[.[].ipv4] | unique | length' "$NET_STATE/e2e/leases.json")" = 20 ]
  [ "$(in_host ip -o link show type veth | wc -l)" = 20 ]
  pids=()
  for i in $(seq 20); do
    in_host "$RUNTIME" --root "$ROOT" delete --force "c$i" >/dev/null 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i"; done
  [ "$(jq -r 'keys | length' "$NET_STATE/e2e/leases.json")" = 0 ]
  [ -z "$(in_host ip -o link show type veth)" ]
}

@test "a malformed port annotation fails create with a clear error and leaves nothing" {
  net_bundle "$TMP/a" '["sleep", "300"]' "" '{"hull.net.ports": "8080:http"}'
  run run_container a "$TMP/a"
  [ "$status" -ne 0 ]
  [[ "$output" == *"hull.net.ports"*"container port must be a number"* ]]
  run in_host ip -o link show type veth
  [ -z "$output" ]
  [ ! -s "$NET_STATE/e2e/leases.json" ] || [ "$(jq 'keys | length' "$NET_STATE/e2e/leases.json")" = 0 ]
}

@test "a malformed network file fails create naming the file and field" {
  echo '{"subnet": "10.66.0.0/24", "mtu": "big"}' >"$NET_CONFIG"
  net_bundle "$TMP/a" '["sleep", "300"]'
  run run_container a "$TMP/a"
  [ "$status" -ne 0 ]
  [[ "$output" == *"$NET_CONFIG /mtu: must be an integer"* ]]
  run in_host ip -o link show type bridge
  [ -z "$output" ]
}

@test "an exhausted network refuses the next container and leaves nothing" {
  echo '{"name": "e2e", "bridge": "hbr0", "subnet": "10.66.0.0/30"}' >"$NET_CONFIG"
  net_bundle "$TMP/a" '["sleep", "300"]'
  net_bundle "$TMP/b" '["sleep", "300"]'
  run_container a "$TMP/a"
  run run_container b "$TMP/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"no free address left in 10.66.0.0/30"* ]]
  [ "$(jq -r 'keys | join(",")' "$NET_STATE/e2e/leases.json")" = "a" ]
  [ "$(in_host ip -o link show type veth | wc -l)" = 1 ]
}

@test "--network NAME from a config dir given through the hook's env, run as prestart" {
  mkdir -p "$TMP/networks"
  mv "$NET_CONFIG" "$TMP/networks/e2e.json"
  net_bundle "$TMP/a" '["sleep", "300"]' '["--network", "e2e"]' '{"hull.net.ip": "10.66.0.42"}' \
    "[\"HULL_NET_CONFIG_DIR=$TMP/networks\", \"HULL_NET_STATE_DIR=$NET_STATE\"]"
  hooks_as_prestart "$TMP/a"
  run_container a "$TMP/a"
  run in_container a ip -o addr show dev eth0
  [[ "$output" == *"10.66.0.42/24"* ]]
  in_host "$RUNTIME" --root "$ROOT" delete --force a
  [ "$(jq -r 'keys | length' "$NET_STATE/e2e/leases.json")" = 0 ]
}

@test "resolv.conf and hosts are written when the bundle bind-mounts them" {
  echo '{"name": "e2e", "bridge": "hbr0", "subnet": "10.66.0.0/24", "dns": ["10.66.0.1"]}' \
    >"$NET_CONFIG"
  net_bundle "$TMP/a" '["sleep", "300"]'
  bind_etc_file "$TMP/a" hosts
  bind_etc_file "$TMP/a" resolv.conf
  run_container a "$TMP/a"
  local pid
  pid=$(container_pid a)
  run cat "/proc/$pid/root/etc/resolv.conf"
  [ "$output" = "nameserver 10.66.0.1" ]
  run cat "/proc/$pid/root/etc/hosts"
  [[ "$output" == *"10.66.0.2	ctr"* ]]
}

@test "ls, inspect and gc: a stopped container's lease is released by gc" {
  net_bundle "$TMP/a" '["sleep", "300"]'
  net_bundle "$TMP/b" '["sleep", "300"]'
  run_container a "$TMP/a"
  run_container b "$TMP/b"
  mkdir -p "$TMP/networks"
  cp "$NET_CONFIG" "$TMP/networks/e2e.json"
  run "$OCI_BRIDGE" --config-dir "$TMP/networks" --state-dir "$NET_STATE" ls
  [[ "$output" == *"e2e"*"10.66.0.0/24"*"2"* ]]
  run "$OCI_BRIDGE" --state-dir "$NET_STATE" inspect e2e
  [ "$(echo "$output" | jq -r .a.ipv4)" = "10.66.0.2" ]
  in_host "$RUNTIME" --root "$ROOT" kill a KILL
  local i
  for i in $(seq 50); do
    [ "$(in_host "$RUNTIME" --root "$ROOT" state a | jq -r .status)" = stopped ] && break
    sleep 0.1
  done
  run in_host "$OCI_BRIDGE" --state-dir "$NET_STATE" gc
  [ "$status" -eq 0 ]
  [ "$output" = "released e2e/a" ]
  [ "$(jq -r 'keys | join(",")' "$NET_STATE/e2e/leases.json")" = "b" ]
  [ "$(in_host ip -o link show type veth | wc -l)" = 1 ]
  # the poststop hook of the already collected container is still fine
  in_host "$RUNTIME" --root "$ROOT" delete a
}

@test "a network file or hook state nested 100000 levels deep is refused by name (issue 16)" {
  printf '%*s' 100000 '' | tr ' ' '[' >"$TMP/deep.json"
  printf '%*s' 100000 '' | tr ' ' ']' >>"$TMP/deep.json"
  cp "$TMP/deep.json" "$NET_CONFIG"
  net_bundle "$TMP/a" '["sleep", "300"]'
  run run_container a "$TMP/a"
  [ "$status" -ne 0 ]
  [[ "$output" == *"$NET_CONFIG: JSON nested deeper than 1000 levels"* ]]
  run in_host ip -o link show type veth
  [ -z "$output" ]
  # the container state a runtime hands the hook on stdin
  run in_host "$OCI_BRIDGE" --config "$NET_CONFIG" --state-dir "$NET_STATE" <"$TMP/deep.json"
  [ "$status" -ne 0 ]
  [[ "$output" == *"container state on stdin: JSON nested deeper than 1000 levels"* ]]
  run in_host "$OCI_BRIDGE" --config "$NET_CONFIG" --state-dir "$NET_STATE" </dev/zero
  [ "$status" -ne 0 ]
  [[ "$output" == *"stdin: larger than 16 MiB"* ]]
  run in_host ip -o link show type bridge
  [ -z "$output" ]
}

# Nothing of a refused container is left in the host namespace: no veth, no lease, no port
# mapping, no runtime state; with no other container (the default) also no bridge hbr0 and no
# NAT element for the subnet.
assert_refused_left_nothing() {
  local others=${1:-0}
  run in_host ip -o link show type veth
  [ "$(echo -n "$output" | grep -c hull)" = "$others" ]
  if [ -s "$NET_STATE/e2e/leases.json" ]; then
    [ "$(jq 'keys | length' "$NET_STATE/e2e/leases.json")" = "$others" ]
  fi
  [ -z "$(in_host "$RUNTIME" --root "$ROOT" list -q 2>/dev/null | grep -vx a)" ]
  if [ "$others" = 0 ]; then
    run in_host ip link show hbr0
    [ "$status" -ne 0 ]
    run in_host nft list set inet hull nets4
    [[ "$output" != *"10.66.0.0/24"* ]]
  fi
}

@test "a bridge name held by a veth or lo is refused and that link is left as it was" {
  in_host ip link add hbr0 type veth peer name hbr0p
  net_bundle "$TMP/b" '["sleep", "300"]'
  run run_container b "$TMP/b"
  [ "$status" -ne 0 ]
  output=${output//\\\"/\"}  # runc quotes the hook's stderr
  [[ "$output" == *"$NET_CONFIG /bridge: bridge \"hbr0\" exists and is not a bridge (kind veth)"* ]]
  run in_host ip -o addr show dev hbr0
  [[ "$output" != *"inet"* ]]
  [ "$(in_host ip -o link show type veth | wc -l)" = 2 ]  # the pair made above, no more
  [ ! -s "$NET_STATE/e2e/leases.json" ] || [ "$(jq 'keys | length' "$NET_STATE/e2e/leases.json")" = 0 ]

  echo '{"name": "e2e", "bridge": "lo", "subnet": "10.66.0.0/24"}' >"$NET_CONFIG"
  local before
  before=$(in_host ip -o addr show dev lo)
  run run_container c "$TMP/b"
  [ "$status" -ne 0 ]
  output=${output//\\\"/\"}
  [[ "$output" == *"$NET_CONFIG /bridge: bridge \"lo\" exists and is not a bridge (kind loopback)"* ]]
  [ "$(in_host ip -o addr show dev lo)" = "$before" ]
  in_host ip link del hbr0
  assert_refused_left_nothing
}

@test "subnets without room or on reserved ranges and bad gateways fail naming file and field" {
  net_bundle "$TMP/b" '["sleep", "300"]'
  local n=0 case field want
  while IFS='|' read -r case field want; do
    echo "{\"name\": \"e2e\", \"bridge\": \"hbr0\", $case}" >"$NET_CONFIG"
    n=$((n + 1))
    run run_container "b$n" "$TMP/b"
    echo "$case => $output"
    [ "$status" -ne 0 ]
    [[ "$output" == *"$NET_CONFIG /$field: $want"* ]]
    assert_refused_left_nothing
  done <<'CASES'
"subnet": "0.0.0.0/0"|subnet|0.0.0.0/0 overlaps 0.0.0.0/8 (this network)
"subnet": "10.66.0.0/31"|subnet|subnet 10.66.0.0/31 is too small for a gateway and a container (at most /30)
"subnet": "10.66.0.1/32"|subnet|subnet 10.66.0.1/32 is too small
"subnet": "127.1.0.0/16"|subnet|127.1.0.0/16 overlaps 127.0.0.0/8 (loopback)
"subnet": "10.66.0.0/24", "gateway": "10.66.0.0"|gateway|10.66.0.0 is the network address of 10.66.0.0/24
"subnet": "10.66.0.0/24", "gateway": "10.66.0.255"|gateway|10.66.0.255 is the broadcast address of 10.66.0.0/24
"subnet": "10.66.0.0/24", "gateway": "10.67.0.1"|gateway|10.67.0.1 is outside 10.66.0.0/24
"subnet": "10.66.0.0/24", "subnet6": "::/0"|subnet6|::/0 overlaps ::/127 (unspecified and loopback)
"subnet": "10.66.0.0/24", "subnet6": "fd66::/127"|subnet6|subnet fd66::/127 is too small
"subnet": "10.66.0.0/24", "subnet6": "fe80::/64"|subnet6|fe80::/64 overlaps fe80::/10 (link-local)
CASES
}

@test "a network sharing addresses with another network or a host address is refused naming both" {
  mkdir -p "$TMP/networks"
  echo '{"bridge": "hbr1", "subnet": "10.66.0.0/16"}' >"$TMP/networks/wide.json"
  echo '{"bridge": "hbr0", "subnet": "10.66.0.0/24"}' >"$TMP/networks/e2e.json"
  net_bundle "$TMP/b" '["sleep", "300"]' \
    "[\"--network\", \"e2e\", \"--config-dir\", \"$TMP/networks\", \"--state-dir\", \"$NET_STATE\"]"
  run run_container b "$TMP/b"
  [ "$status" -ne 0 ]
  output=${output//\\\"/\"}
  [[ "$output" == *"$TMP/networks/e2e.json /subnet: 10.66.0.0/24 of network \"e2e\" overlaps 10.66.0.0/16 of network \"wide\" ($TMP/networks/wide.json)"* ]]
  assert_refused_left_nothing

  # An address on a host interface: what a second network's bridge (or an uplink) holds.
  rm "$TMP/networks/wide.json"
  in_host ip link add up0 type veth peer name up1
  in_host ip addr add 10.66.0.77/28 dev up0
  run run_container c "$TMP/b"
  [ "$status" -ne 0 ]
  output=${output//\\\"/\"}
  [[ "$output" == *"$TMP/networks/e2e.json /subnet: 10.66.0.0/24 of network \"e2e\" overlaps address 10.66.0.77/28 on host interface up0"* ]]
  in_host ip link del up0
  assert_refused_left_nothing
}

@test "a host port held by another container is refused naming the port, protocol and container" {
  net_bundle "$TMP/a" '["sleep", "300"]' "" '{"hull.net.ports": "8080:80/tcp,127.0.0.1:5353:53/udp"}'
  net_bundle "$TMP/b" '["sleep", "300"]' "" '{"hull.net.ports": "9090:90,127.0.0.1:5353:53/udp"}'
  run_container a "$TMP/a"
  run run_container b "$TMP/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"host port 127.0.0.1:5353/udp is already published by container a (network e2e)"* ]]
  assert_refused_left_nothing 1
  run in_host nft list map inet hull ports4
  [[ "$output" != *"9090"* ]]
  run in_host nft list map inet hull hports4
  [[ "$output" == *"127.0.0.1 . udp . 5353 : 10.66.0.2 . 53"* ]]
}

@test "a first container failing after the bridge is up takes the bridge and NAT elements back" {
  # A mapping no lease knows of: the NAT step fails after bridge, addresses and veth exist.
  in_host nft -f - <<'NFT'
table inet hull {
  map ports4 { type inet_proto . inet_service : ipv4_addr . inet_service; elements = { tcp . 8080 : 10.9.9.9 . 80 } }
}
NFT
  net_bundle "$TMP/b" '["sleep", "300"]' "" '{"hull.net.ports": "8080:80"}'
  run run_container b "$TMP/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"connecting container b to network e2e: nftables:"* ]]
  assert_refused_left_nothing
  run in_host nft list map inet hull ports4
  [[ "$output" == *"10.9.9.9 . 80"* ]]
}

@test "an address already leased to another container is refused naming it and leaves nothing" {
  net_bundle "$TMP/a" '["sleep", "300"]'
  net_bundle "$TMP/b" '["sleep", "300"]' "" '{"hull.net.ip": "10.66.0.2"}'
  run_container a "$TMP/a"
  run run_container b "$TMP/b"
  [ "$status" -ne 0 ]
  [[ "$output" == *"annotation hull.net.ip: 10.66.0.2 is already leased to container a"* ]]
  assert_refused_left_nothing 1
}
