#!/usr/bin/env bash
# The pure cgroup v2 suite: boots a user-mode Linux guest (scripts/uml) whose kernel has only
# cgroup2, and runs the cgroup end-to-end suites and the core lifecycle/exec conformance in
# it against hull, with runc as the oracle. Prints one TAP stream (the guest's bats), so
# every case counts on its own; a guest that cannot start is one failing case saying why.
# Environment: as the other conformance suites (HULL, PROBE, RECVTTY, NO_CLONE3,
# CONFORMANCE_DIR); V2_SUITES overrides the selection (see guest-suite.sh).
set -uo pipefail
conf=${CONFORMANCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
root=$(cd "$conf/.." && pwd)

source "$root/scripts/uml/lib.sh"
if ! why=$(uml_why_not); then
  echo "1..1"
  echo "not ok 1 v2: boot the cgroup v2 guest # $why"
  exit 1
fi
cd "$root" || exit 1
# --disk: a real block device for io.max and the stuck-writer freeze case
bash "$root/scripts/uml/run.sh" --mem 1G --disk 64 -- \
  env HULL="$HULL" PROBE="$PROBE" RECVTTY="${RECVTTY:-}" NO_CLONE3="${NO_CLONE3:-}" \
  CONFORMANCE_DIR="$conf" V2_SUITES="${V2_SUITES:-}" bash "$conf/v2/guest-suite.sh"
rc=$?
if [ $rc = 125 ]; then
  echo "Bail out! the v2 guest did not finish the suite (its console log is on stderr)"
fi
exit $rc
