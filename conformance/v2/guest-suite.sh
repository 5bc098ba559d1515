#!/usr/bin/env bash
# Runs inside the v2 guest: each selected bats file (with an optional --filter on the test
# names) in turn, merged into one TAP stream numbered across them, the plan last. One
# selection a line, "FILE" or "FILE|REGEX", FILE relative to CONFORMANCE_DIR; from V2_SUITES
# when set (not empty), else the default below (the whole cgroup suites, the core of lifecycle and exec:
# the guest is slow, so the rest of those runs on the host).
set -uo pipefail
conf=${CONFORMANCE_DIR:?}
default='cgroups/cgroups.bats
v2/v2.bats
cgroups.bats|init is in|without cgroupsPath|relative cgroupsPath|cgroup-manager disabled
lifecycle.bats|create -> created|state is OCI|kill --all|run exits with the|delete of a running
exec/exec.bats|joins every namespace|--cgroup runs|a paused container'
n=0 failed=0
while IFS= read -r sel; do
  [ -n "$sel" ] || continue
  file=${sel%%|*} filter=()
  [ "$file" != "$sel" ] && filter=(--filter "${sel#*|}")
  while IFS= read -r line; do
    # (a stray run of blanks has been seen before a result line: keep the line parseable)
    line=${line#"${line%%[! ]*}"}
    case $line in
      1..*) ;;
      "ok "* | "not ok "*)
        n=$((n + 1))
        [[ $line == "not ok "* ]] && failed=1
        # bats numbers from 1 in each file: renumber across the files
        echo "$line" | sed -E "s/^(ok|not ok) [0-9]+/\\1 $n/" ;;
      *) echo "$line" ;;
    esac
  done < <(bats --tap "${filter[@]}" "$conf/$file" 2>&1)
done <<<"${V2_SUITES:-$default}"
echo "1..$n"
exit $failed
