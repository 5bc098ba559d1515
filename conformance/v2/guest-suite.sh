#!/usr/bin/env bash
# Runs inside a v2 guest (see run-in-guest.sh): each selected bats file (with an optional
# --filter on the test names) in turn, merged into one TAP stream numbered across them, the
# plan last. V2_SUITES holds the selection, one a line, "FILE", "FILE|REGEX" (bats --filter on
# the names) or "FILE@TAG" (bats --filter-tags), FILE relative to CONFORMANCE_DIR.
set -uo pipefail
conf=${CONFORMANCE_DIR:?}
n=0 failed=0
while IFS= read -r sel; do
  [ -n "$sel" ] || continue
  file=${sel%%[|@]*} filter=()
  case ${sel:${#file}:1} in
    "|") filter=(--filter "${sel#*|}") ;;
    "@") filter=(--filter-tags "${sel#*@}") ;;
  esac
  while IFS= read -r line; do
    # (a stray run of blanks has been seen before a result line: keep the line parseable)
    line=${line#"${line%%[! ]*}"}
    case $line in
      1..*) ;;
      "ok "* | "not ok "*)
        n=$((n + 1))
        [[ $line == "not ok "* ]] && failed=1
        # bats numbers from 1 in each file: renumber across the files
        [[ $line =~ ^(ok|not ok)\ [0-9]+(.*)$ ]] && line="${BASH_REMATCH[1]} $n${BASH_REMATCH[2]}"
        echo "$line" ;;
      *) echo "$line" ;;
    esac
  done < <(bats --tap --timing "${filter[@]}" "$conf/$file" 2>&1)
done <<<"${V2_SUITES:?}"
echo "1..$n"
exit $failed
