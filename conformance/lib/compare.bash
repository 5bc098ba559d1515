# The differential: two probe outputs (runtime under test, runc) reduced to the fields that
# must agree, then compared. What legitimately differs (pids seen from outside, namespace
# inode numbers, fd targets such as pipe ids, mount sources) is left out or normalised.

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

# compare_probes TEST_JSON REF_JSON: fails with a diff when the views differ
compare_probes() {
  local a=$TEST_TMP/view.test.json b=$TEST_TMP/view.ref.json
  probe_view "$1" >"$a" || return 1
  probe_view "$2" >"$b" || return 1
  if ! diff -u "$b" "$a" >"$TEST_TMP/view.diff"; then
    echo "# differential: $RUNTIME_NAME (+) disagrees with runc (-):" >&2
    sed 's/^/#   /' "$TEST_TMP/view.diff" >&2
    return 1
  fi
}
