# The runc differential: one helper (same_as_runc) runs an observation under the runtime
# under test and under runc and compares; for the probe, the two outputs are reduced to the
# fields that must agree. What legitimately differs (pids seen from outside, namespace inode
# numbers, fd targets such as pipe ids, mount sources) is left out or normalised.

# jq program: the comparable view of one probe output. $host holds the host's namespace
# inodes so "which namespaces differ from the host's" can be compared, not the inodes.
PROBE_VIEW='
  def mainopts: (.options | split(",")) as $o
    | ["ro", "nosuid", "nodev", "noexec"] | map(select(. as $x | $o | any(. == $x)));
  {
    # outside a pid namespace the numbers are from the host and differ run to run
    pid: (if .pid == 1 then 1 else "host pid" end), ppid: (if .ppid == 0 then 0 else "host pid" end),
    uid, euid, suid, gid, egid, sgid, groups: (.groups | sort),
    args, umask, cwd, env: (.env | sort), hostname, domainname, caps, no_new_privs, seccomp,
    rlimits, oom_score_adj,
    new_namespaces: (.namespaces | to_entries | map(select(.value != null and .value != $host[.key]))
                     | map(.key) | sort),
    fds: [.fds[].fd],
    mounts: ([.mounts[] | {mountpoint, fstype, opts: mainopts}] | sort_by(.mountpoint, .fstype)),
    checks: [.checks[] | del(.error)],
    dirs: [.dirs[] | .entries |= sort_by(.name)]
  }'

host_namespaces_json() {
  local ns out='{}'
  for ns in mnt pid net ipc uts user cgroup time; do
    [ -e "/proc/self/ns/$ns" ] || continue
    out=$(jq -c --arg k "$ns" --argjson v "$(host_ns "$ns")" '. + {($k): $v}' <<<"$out")
  done
  echo "$out"
}

probe_view() { jq -S --argjson host "$(host_namespaces_json)" "$PROBE_VIEW" "$1"; }

# same_as_runc [--copy] OBSERVE [ARGS...]: the one runc differential. OBSERVE is called as
# `OBSERVE RUNNER ID BUNDLE [ARGS...]` and prints what a container showed: first under the
# runtime under test (rt, $CID, $BUNDLE), then under runc (ref, $RUNC_CID, the same bundle, or
# with --copy a copy taken before either run, for runs that change their rootfs). It fails,
# showing both, unless the two print the same and exit the same. The runtime under test's
# output and exit status are left in $output and $status (as bats' `run` would).
same_as_runc() {
  local ref_bundle=$BUNDLE
  if [ "$1" = --copy ]; then
    shift
    ref_bundle=$BUNDLE-ref
    rm -rf "$ref_bundle"
    cp -a "$BUNDLE" "$ref_bundle"
  fi
  local observe=$1 mine=0 theirs=0
  shift
  have_runc_reference || fail "runc is needed as the reference (RUNC is empty)" || return 1
  "$observe" rt "$CID" "$BUNDLE" "$@" >"$TEST_TMP/same.test" 2>&1 || mine=$?
  "$observe" ref "$RUNC_CID" "$ref_bundle" "$@" >"$TEST_TMP/same.ref" 2>&1 || theirs=$?
  output=$(cat "$TEST_TMP/same.test")
  status=$mine
  if [ "$mine" != "$theirs" ] || ! diff -u "$TEST_TMP/same.ref" "$TEST_TMP/same.test" \
    >"$TEST_TMP/same.diff"; then
    echo "# differential: $RUNTIME_NAME (+, exit $mine) disagrees with runc (-, exit $theirs):" >&2
    sed 's/^/#   /' "$TEST_TMP/same.diff" >&2
    return 1
  fi
}

# observe_run RUNNER ID BUNDLE: `run` the bundle; its output (stdout and stderr) and exit status
observe_run() {
  local runner=$1 id=$2 bundle=$3 rc=0
  "$runner" run -b "$bundle" "$id" 2>&1 </dev/null || rc=$?
  "$runner" delete -f "$id" >/dev/null 2>&1 || true
  return "$rc"
}

# observe_created RUNNER ID BUNDLE SNAPSHOT: create the container, print what SNAPSHOT (a
# function or command) prints while it exists, then delete it
observe_created() {
  local runner=$1 id=$2 bundle=$3 snapshot=$4 rc=0
  "$runner" create -b "$bundle" "$id" </dev/null >/dev/null || return
  "$snapshot" || rc=$?
  "$runner" delete -f "$id" >/dev/null || rc=$?
  return "$rc"
}

# observe_probe RUNNER ID BUNDLE [PROBE ARGS...]: run /probe ARGS in $BUNDLE (it must exit 0
# and print JSON) and print its comparable view; $PROBE_JSON (the runtime under test) or
# $REF_JSON (a RUNNER named ref*) is the raw output
observe_probe() {
  local runner=$1 id=$2 tag=test
  [[ $runner == ref* ]] && tag=ref
  shift 3
  run_probe_with "$runner" "$id" "$tag" "$@"
  local json=$TEST_TMP/probe.$tag.json
  if [ "$tag" = test ]; then PROBE_JSON=$json; else REF_JSON=$json; fi
  [ "$PROBE_RC" = 0 ] || fail "container exited $PROBE_RC under $runner" || return 1
  jq -e . "$json" >/dev/null || fail "probe output is not JSON: $(head -c 500 "$json")" || return 1
  probe_view "$json"
}
