#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every unit and conformance test
# through meson, and ends with one line "N passed, N failed" counted per test case.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh || exit 1
bash scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
meson test -C build --no-rebuild --print-errorlogs --num-processes 1 "$@"
rc=$?
python3 scripts/count-results.py build/meson-logs/testlog.junit.xml
count_rc=$?
[ $rc -eq 0 ] && [ $count_rc -eq 0 ]
