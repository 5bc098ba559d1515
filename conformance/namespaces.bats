#!/usr/bin/env bats
# linux.namespaces: each type on its own (with the mount namespace every rootfs needs), all
# together with a user namespace and its mappings, joining an existing one by path, time
# offsets. The probe reports the inode of each /proc/self/ns link; the host's are compared.

load lib/common

setup() { common_setup; }
teardown() { common_teardown; }

ALL_NS=(pid net ipc uts mnt cgroup user)
declare -A SPEC_NAME=([pid]=pid [net]=network [ipc]=ipc [uts]=uts [mnt]=mount [cgroup]=cgroup
  [user]=user [time]=time)

# only_namespaces TYPE...: the config's namespaces become exactly mount + TYPEs
only_namespaces() {
  local types=(mount "$@")
  cfg '.linux.namespaces = ($t | unique | map({type: .}))' --argjson t "$(json_array "${types[@]}")"
  # a hostname needs a private UTS namespace
  [[ " $* " == *" uts "* ]] || cfg 'del(.hostname)'
}

# assert_new_namespaces PROBE_NAME...: exactly these differ from the host's
assert_new_namespaces() {
  local ns want=" $* "
  for ns in "${ALL_NS[@]}"; do
    local mine host
    mine=$(pj ".namespaces.$ns")
    host=$(host_ns "$ns")
    if [[ "$want" == *" $ns "* ]]; then
      [ "$mine" != "$host" ] || fail "$ns namespace should be new, is the host's"
    else
      [ "$mine" = "$host" ] || fail "$ns namespace should be the host's ($host), is $mine"
    fi
  done
}

@test "namespaces: mount alone" {
  only_namespaces
  probe_case
  assert_new_namespaces mnt
  [ "$(pj .pid)" != 1 ]
}

@test "namespaces: pid alone" {
  only_namespaces pid
  probe_case
  assert_new_namespaces mnt pid
  [ "$(pj .pid)" = 1 ]
}

@test "namespaces: network alone" {
  only_namespaces network
  probe_case --cat /proc/net/dev
  assert_new_namespaces mnt net
  # a fresh network namespace has only lo
  [ "$(pj '.files[0].content' | tail -n +3 | cut -d: -f1 | tr -d ' ')" = lo ]
}

# lo_report RUNNER ID: lo's flags and whether 127.0.0.1 answers a ping, seen in the container
lo_report() {
  "$1" run -b "$BUNDLE" "$2" </dev/null 2>&1
}

lo_case() {
  cfg '.process.capabilities |= with_entries(.value += ["CAP_NET_RAW"])'
  set_shell 'busybox ip -o link show lo | sed "s/.*<\([^>]*\)>.*/\1/"
    busybox ping -c 1 127.0.0.1 >/dev/null 2>&1 && echo ping-ok || echo ping-fails'
  LO=$(lo_report rt "$CID")
  echo "# $RUNTIME_NAME: $LO"
  if have_runc_reference; then
    local ref_out
    ref_out=$(lo_report ref "$RUNC_CID")
    echo "# runc: $ref_out"
    [ "$LO" = "$ref_out" ] || fail "$RUNTIME_NAME: $LO; runc: $ref_out"
  fi
}

@test "namespaces: a new network namespace has lo up and 127.0.0.1 answers, as under runc" {
  only_namespaces network
  lo_case
  [ "$LO" = "LOOPBACK,UP,LOWER_UP
ping-ok" ]
}

@test "namespaces: lo is up in a new network namespace owned by a new user namespace" {
  only_namespaces pid ipc network user
  cfg '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
       | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
  lo_case
  [ "$LO" = "LOOPBACK,UP,LOWER_UP
ping-ok" ]
}

@test "namespaces: a joined network namespace's lo is left as it was, as under runc" {
  local ns=hc-conf-$$-$RANDOM
  ip netns add "$ns"
  remember_netns "$ns"
  cfg '.linux.namespaces |= map(if .type == "network" then . + {path: $p} else . end)' \
    --arg p "/run/netns/$ns"
  lo_case
  [ "$LO" = "LOOPBACK
ping-fails" ]
}

@test "namespaces: ipc alone" {
  only_namespaces ipc
  probe_case
  assert_new_namespaces mnt ipc
}

@test "namespaces: uts alone, hostname set" {
  only_namespaces uts
  cfg '.hostname = "conf-host"'
  probe_case
  assert_new_namespaces mnt uts
  [ "$(pj .hostname)" = conf-host ]
  [ "$(hostname)" != conf-host ]
}

@test "namespaces: domainname set in the uts namespace" {
  if [ "$RUNTIME_NAME" = runc ] && runc --version | grep -q '^runc version 1\.[01]\.'; then
    skip "runc before 1.2 ignores domainname"
  fi
  cfg '.domainname = "conf.example"'
  run_probe # not differential: the reference runc may predate domainname
  [ "$PROBE_RC" = 0 ]
  [ "$(pj .domainname)" = conf.example ]
  [ "$(pj .hostname)" = conformance ]
}

@test "namespaces: cgroup alone, the container's cgroup is its root" {
  only_namespaces cgroup
  probe_case
  assert_new_namespaces mnt cgroup
  local bad
  bad=$(pj '.cgroup[] | select(endswith(":/") | not)')
  [ -z "$bad" ] || fail "cgroup paths not rooted at the container's cgroup: $bad"
}

@test "namespaces: all together with a user namespace mapping 0 to 100000" {
  only_namespaces pid network ipc uts cgroup user
  cfg '.hostname = "conformance"
       | .linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
       | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
  probe_case --cat /proc/self/uid_map --cat /proc/self/gid_map
  assert_new_namespaces mnt pid net ipc uts cgroup user
  [ "$(pj '.files[0].content' | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ]
  [ "$(pj '.files[1].content' | tr -s ' ' | sed 's/^ //')" = "0 100000 65536" ]
  [ "$(pj .uid)" = 0 ]
  [ "$(pj .gid)" = 0 ]
  # seen from the host the process runs as 100000: the container's own pid is in the map
  [ "$(pj .pid)" = 1 ]
}

@test "namespaces: user namespace, files of host root show as the overflow uid" {
  only_namespaces pid ipc network user
  cfg '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
       | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
  probe_case --list-dir /bin
  [ "$(pj '.dirs[0].entries[] | select(.name == "busybox") | .uid')" = 65534 ]
}

@test "namespaces: user namespace, a bind source only host root can traverse is still mounted" {
  only_namespaces pid ipc network user
  cfg '.linux.uidMappings = [{containerID: 0, hostID: 100000, size: 65536}]
       | .linux.gidMappings = [{containerID: 0, hostID: 100000, size: 65536}]'
  mkdir -p "$TEST_TMP/locked/inner" "$BUNDLE/rootfs/data"
  chmod 700 "$TEST_TMP/locked"
  chmod 755 "$TEST_TMP/locked/inner"
  echo from-host >"$TEST_TMP/locked/inner/f"
  chmod 644 "$TEST_TMP/locked/inner/f"
  add_mount /data bind "$TEST_TMP/locked/inner" rbind,ro
  probe_case --cat /data/f
  [ "$(pj '.files[0].content')" = "from-host" ]
}

@test "namespaces: network path joins an existing namespace" {
  local ns=hc-conf-$$-$RANDOM
  ip netns add "$ns"
  remember_netns "$ns"
  cfg '.linux.namespaces |= map(if .type == "network" then . + {path: $p} else . end)' \
    --arg p "/run/netns/$ns"
  probe_case
  [ "$(pj .namespaces.net)" = "$(stat -L -c %i "/run/netns/$ns")" ]
}

@test "namespaces: uts and ipc paths join the namespaces of a running container" {
  # a first container holds the namespaces; the second joins them through /proc/PID/ns
  cfg '.hostname = "holder"'
  set_args /probe --quiet --sleep 1000
  rt create -b "$BUNDLE" "$CID-holder" >"$TEST_TMP/holder.out" 2>&1
  local pid
  pid=$(rt state "$CID-holder" | jq -r .pid)
  cfg '.linux.namespaces |= map(if .type == "uts" or .type == "ipc" then . + {path: ("/proc/" + $p + "/ns/" + .type)} else . end)
       | del(.hostname)' --arg p "$pid"
  run_probe
  [ "$PROBE_RC" = 0 ]
  [ "$(pj .namespaces.uts)" = "$(stat -L -c %i /proc/$pid/ns/uts)" ]
  [ "$(pj .namespaces.ipc)" = "$(stat -L -c %i /proc/$pid/ns/ipc)" ]
  [ "$(pj .hostname)" = holder ]
}

@test "namespaces: time namespace applies linux.timeOffsets" {
  [ -e /proc/self/ns/time ] || skip "kernel has no time namespaces"
  if [ "$RUNTIME_NAME" = runc ] && ! runc features 2>/dev/null | jq -e '.linux.namespaces | index("time")' >/dev/null; then
    skip "this runc does not support time namespaces"
  fi
  cfg '.linux.namespaces += [{type: "time"}]
       | .linux.timeOffsets = {monotonic: {secs: 864000, nanosecs: 0}, boottime: {secs: 1728000, nanosecs: 0}}'
  local host_mono
  host_mono=$(cut -d' ' -f1 /proc/uptime | cut -d. -f1)
  run_probe --cat /proc/uptime
  [ "$PROBE_RC" = 0 ]
  [ "$(pj .namespaces.time)" != "$(host_ns time)" ]
  local mono boot up
  mono=$(pj .clocks.monotonic_s)
  boot=$(pj .clocks.boottime_s)
  up=$(pj '.files[0].content' | cut -d. -f1)
  [ "$mono" -ge $((864000 + host_mono - 5)) ]
  [ "$boot" -ge $((1728000 + host_mono - 5)) ]
  # /proc/uptime follows the boottime clock of the namespace
  [ "$up" -ge 1728000 ]
}

@test "namespaces: a network path that does not exist is an error naming it" {
  cfg '.linux.namespaces |= map(if .type == "network" then . + {path: "/run/netns/hull-conf-missing"} else . end)'
  snapshot_mounts
  run rt run -b "$BUNDLE" "$CID"
  [ "$status" -ne 0 ]
  [[ "$output" == *hull-conf-missing* ]] || fail "error does not name the path: $output"
  assert_nothing_left "$CID"
}
