#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every unit and conformance test
# through meson, then the unit tests and the core conformance suites (suite "core", the ones
# listed in conformance/meson.build) again under ASan+UBSan
# (build-asan) with the fuzz harnesses (suite "fuzz": corpus replay plus a bounded run), and
# ends with one line "N passed, N failed" counted per test case over all of them. The systemd
# guest suite (suite "systemd") runs beside the sanitizer pass, in its own log.
# HULL_SANITIZE=0 skips the sanitizer pass, HULL_GUEST_SUITES=0 the systemd suite; arguments
# (suite or test names) select what the first pass runs and skip both.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh || exit 1
bash scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
# The first pass runs one test at a time and leaves most of a second core idle, so the
# sanitizer build (one compile at a time, lowest priority) starts beside it now and is waited
# for at the sanitizer pass.
sanitize=0
if [ "${HULL_SANITIZE:-1}" = 1 ] && [ $# -eq 0 ]; then
  sanitize=1
  asan_log=$(mktemp /tmp/hull-build-asan.XXXXXX)
  NINJA_JOBS=1 nice -n 19 bash scripts/build-asan.sh >"$asan_log" 2>&1 &
  asan_build=$!
fi
# The user-mode-Linux guest suites (v2: pure cgroup v2; systemd: the --systemd-cgroup driver in a
# guest with systemd as init) boot their guest once and report every case in its TAP stream.
# The systemd suite takes 6-9 minutes, nearly all of it in its guest on one CPU: it runs beside
# the sanitizer pass below rather than in the first pass, which keeps the whole run under an
# hour.
systemd_suite=0
first=()
if [ $# -eq 0 ]; then
  first=(--no-suite systemd)
  [ "${HULL_GUEST_SUITES:-1}" = 0 ] || systemd_suite=1
fi
meson test -C build --no-rebuild --print-errorlogs --num-processes 1 "${first[@]}" "$@"
rc=$?
logs=(build/meson-logs/testlog.junit.xml)

if [ $systemd_suite = 1 ]; then
  systemd_out=$(mktemp /tmp/hull-systemd-suite.XXXXXX)
  rm -f build/meson-logs/systemd.junit.xml
  meson test -C build --no-rebuild --print-errorlogs --suite systemd --logbase systemd \
    >"$systemd_out" 2>&1 &
  systemd_run=$!
fi

if [ $sanitize = 1 ]; then
  start=$SECONDS
  reports=$(mktemp -d /tmp/hull-sanitizer.XXXXXX)
  chmod 1777 "$reports"
  # Any report fails the test that caused it (halt_on_error, a non-zero exit) and leaves a
  # file in $reports, counted below as one more failure. Leak checking stays on for the
  # processes that exit normally (the CLI); children that _exit (init, hooks, exec) skip it
  # by design, so their leaks are not reported.
  export ASAN_OPTIONS="halt_on_error=1:abort_on_error=0:exitcode=66:detect_stack_use_after_return=1:detect_leaks=1:strict_string_checks=1:check_initialization_order=1:log_path=$reports/asan"
  export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=66:log_path=$reports/ubsan:suppressions=$PWD/scripts/ubsan.supp"
  export LSAN_OPTIONS="exitcode=66"
  wait "$asan_build"
  built=$?
  cat "$asan_log"
  rm -f "$asan_log"
  if [ $built -eq 0 ]; then
    meson test -C build-asan --no-rebuild --print-errorlogs --num-processes 1 \
      --suite unit --suite core --suite fuzz
    asan_rc=$?
    logs+=(build-asan/meson-logs/testlog.junit.xml)
  else
    asan_rc=1
    logs+=(build-asan/no-build.junit.xml)  # missing: counted as one failure
  fi
  unset ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
  found=$(find "$reports" -type f | sort)
  if [ -n "$found" ]; then
    echo "sanitizer reports:" >&2
    for f in $found; do echo "== $f" >&2; cat "$f" >&2; done
    asan_rc=1
    logs+=("reports:$(echo "$found" | wc -l)")
  fi
  rm -rf "$reports"
  echo "sanitizer pass: $((SECONDS - start))s" >&2
  [ $asan_rc -eq 0 ] || rc=1
fi

if [ $systemd_suite = 1 ]; then
  wait "$systemd_run"
  systemd_rc=$?
  cat "$systemd_out"
  rm -f "$systemd_out"
  # a missing log (meson never got to write it) counts as a failure in count-results.py
  logs+=(build/meson-logs/systemd.junit.xml)
  [ $systemd_rc -eq 0 ] || rc=1
fi

python3 scripts/count-results.py "${logs[@]}"
count_rc=$?
[ $rc -eq 0 ] && [ $count_rc -eq 0 ]
