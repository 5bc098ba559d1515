#!/usr/bin/env bats
# hull under a seccomp filter that answers clone3 with ENOSYS, as docker's default profile
# does (hull inside a CI container or nested podman): every clone falls back to clone(2) with
# CLONE_PIDFD, and a CLONE_INTO_CGROUP target gets the pid through cgroup.procs instead.

load lib/common

setup() {
  common_setup
  [ -x "${NO_CLONE3:-}" ] || skip "NO_CLONE3 not built (run through meson test)"
}

teardown() { common_teardown; }

# nc ARGS...: the runtime under test with clone3 hidden
nc() { "$NO_CLONE3" "$RUNTIME" --root "$ROOT_DIR" "$@"; }

@test "clone3-fallback: the filter is in force (clone3 answers ENOSYS under it)" {
  [ "$("$NO_CLONE3" --check)" = ENOSYS ]
}

@test "clone3-fallback: run makes a container in its own namespaces" {
  run_probe_with nc "$CID" test
  PROBE_JSON=$TEST_TMP/probe.test.json
  [ "$PROBE_RC" = 0 ] || fail "run under the filter: $(cat "$TEST_TMP/probe.test.err")"
  [ "$(pj .pid)" = 1 ]
  [ "$(pj .namespaces.pid)" != "$(host_ns pid)" ]
  [ "$(pj .namespaces.mnt)" != "$(host_ns mnt)" ]
  # the container inherits the filter (mode 2) like any process under it
  [ "$(pj .seccomp)" = 2 ]
}

@test "clone3-fallback: run through the intermediate (a namespace joined by path)" {
  # The host's own uts namespace: the bundle's hostname would become the host's, so none.
  cfg 'del(.hostname)'
  add_namespace uts "/proc/$$/ns/uts"
  local before
  before=$(hostname)
  run_probe_with nc "$CID" test
  [ "$(hostname)" = "$before" ] || fail "the host's hostname changed to $(hostname)"
  PROBE_JSON=$TEST_TMP/probe.test.json
  [ "$PROBE_RC" = 0 ] || fail "run under the filter: $(cat "$TEST_TMP/probe.test.err")"
  [ "$(pj .pid)" = 1 ]
  [ "$(pj .namespaces.uts)" = "$(host_ns uts)" ]
}

@test "clone3-fallback: create, start, state and delete" {
  set_args /probe --quiet --exit 7
  nc create -b "$BUNDLE" "$CID" </dev/null >"$TEST_TMP/out" 2>&1 || fail "create: $(cat "$TEST_TMP/out")"
  [ "$(nc state "$CID" | jq -r .status)" = created ]
  nc start "$CID"
  wait_status "$CID" stopped
  nc delete "$CID"
  ! nc state "$CID" >/dev/null 2>&1
}

@test "clone3-fallback: exec joins a running container" {
  set_args /probe --quiet --sleep 1000
  nc run -d -b "$BUNDLE" "$CID" </dev/null >"$TEST_TMP/out" 2>&1 || fail "run: $(cat "$TEST_TMP/out")"
  nc exec "$CID" /probe >"$TEST_TMP/exec.json" 2>"$TEST_TMP/exec.err" </dev/null ||
    fail "exec under the filter: $(cat "$TEST_TMP/exec.err")"
  PROBE_JSON=$TEST_TMP/exec.json
  local init
  init=$(nc state "$CID" | jq -r .pid)
  [ "$(pj .namespaces.pid)" = "$(stat -L -c %i "/proc/$init/ns/pid")" ]
  [ "$(pj .pid)" != 1 ]
  nc delete -f "$CID"
}
