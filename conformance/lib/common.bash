# Shared harness for the conformance suites: bundles built from busybox-static and the probe,
# config edits with jq, running a case under the runtime under test and under runc, and
# cleanup of everything a test made. Loaded by every .bats file with `load lib/common`.
#
# Environment (set by meson, or by hand):
#   HULL     runtime under test (default: runc, until hull is built)
#   RUNC     reference runtime for the differential (default: runc on PATH; empty disables)
#   PROBE    the static probe binary          RECVTTY  the console-socket receiver
#   CONFORMANCE_DIR  this folder

CONFORMANCE_DIR=${CONFORMANCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
RUNTIME=${HULL:-$(command -v runc)}
RUNTIME_NAME=$(basename "$RUNTIME")
RUNC=${RUNC-$(command -v runc || true)}
BUSYBOX=${BUSYBOX:-$(command -v busybox)}

source "$CONFORMANCE_DIR/lib/bundle.bash"
source "$CONFORMANCE_DIR/lib/compare.bash"
source "$CONFORMANCE_DIR/lib/cleanup.bash"

common_setup() {
  [ -x "$RUNTIME" ] || skip "runtime under test not found: ${HULL:-runc}"
  [ -x "${PROBE:-}" ] || skip "PROBE not built (run through meson test)"
  [ "$(id -u)" = 0 ] || skip "conformance tests need root"
  TEST_TMP=$(mktemp -d /tmp/hull-conf.XXXXXX)
  chmod 755 "$TEST_TMP" # a user-namespaced container must reach its rootfs
  # one state dir per runtime: never the system's /run/runc or /run/hull
  ROOT_DIR=$TEST_TMP/state
  RUNC_ROOT=$TEST_TMP/runc-state
  BUNDLE=$TEST_TMP/bundle
  CID=hc$$-${BATS_TEST_NUMBER}-$RANDOM
  RUNC_CID=rc$$-${BATS_TEST_NUMBER}-$RANDOM
  make_bundle "$BUNDLE"
}

common_teardown() {
  [ -n "${TEST_TMP:-}" ] || return 0
  cleanup_all
}

# rt ARGS...: the runtime under test with its own state dir
rt() { "$RUNTIME" --root "$ROOT_DIR" "$@"; }
# ref ARGS...: runc with its own state dir
ref() { "$RUNC" --root "$RUNC_ROOT" "$@"; }

have_runc_reference() { [ -n "$RUNC" ] && [ -x "$RUNC" ]; }

# run_probe [PROBE ARGS...]: runs the bundle with /probe ARGS under the runtime under test;
# the JSON lands in $TEST_TMP/probe.<runtime>.json, stderr beside it; sets $PROBE_JSON, $PROBE_RC.
run_probe() {
  run_probe_with rt "$CID" test "$@"
  PROBE_JSON=$TEST_TMP/probe.test.json
}

run_probe_with() {
  local runner=$1 id=$2 tag=$3
  shift 3
  set_args /probe "$@"
  PROBE_RC=0
  "$runner" run -b "$BUNDLE" "$id" >"$TEST_TMP/probe.$tag.json" 2>"$TEST_TMP/probe.$tag.err" </dev/null ||
    PROBE_RC=$?
  if [ "$PROBE_RC" != 0 ]; then
    echo "# $tag run exited $PROBE_RC; stderr:" >&2
    sed 's/^/#   /' "$TEST_TMP/probe.$tag.err" >&2
  fi
  return 0
}

# probe_case [PROBE ARGS...]: the whole differential: run under the runtime under test (must
# succeed and print valid JSON), then under runc, and compare the fields that must agree
# (same_as_runc with observe_probe, lib/compare.bash). Without runc only the first half.
probe_case() { probe_case_with observe_probe "$@"; }

# probe_case_with OBSERVE [PROBE ARGS...]: probe_case with another observer (e.g. one that
# adds flags to the runners); OBSERVE takes observe_probe's arguments.
probe_case_with() {
  local observe=$1
  shift
  if have_runc_reference; then
    same_as_runc "$observe" "$@" || return 1
    [ "$status" = 0 ] || fail "the probe failed under both runtimes: $output"
  else
    "$observe" rt "$CID" "$BUNDLE" "$@" >/dev/null
  fi
}

# pj FILTER: a jq filter over the last probe output of the runtime under test (raw output)
pj() { jq -r "$@" "$PROBE_JSON"; }

fail() {
  echo "# FAIL: $*" >&2
  return 1
}

# wait_status ID STATUS: polls `state` until the container reaches STATUS (no time limit of
# our own: the test's only bound is meson's)
wait_status() {
  local id=$1 want=$2 got
  for _ in $(seq 1 1000); do
    got=$(rt state "$id" 2>/dev/null | jq -r .status) || true
    [ "$got" = "$want" ] && return 0
    sleep 0.02
  done
  fail "container $id never reached status $want (last: $got)"
}

host_ns() { stat -L -c %i "/proc/self/ns/$1"; }
