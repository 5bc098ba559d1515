#!/usr/bin/env bats
# Hostile input (issue 16, items 6 and 7): inputs that are endless, huge or nested far deeper
# than any real document. Each must fail at once with a non-zero exit and an error that names
# the input (and, from hull, the limit), and leave nothing behind. The same files under runc
# fail too (Go's encoding/json stops at 10000 levels); hull's limits are 1000 levels and
# 16 MiB (src/json/limits.hpp). No case has a time limit: a reader that looped or recursed
# without end would crash or hang the suite, which is the failure.

load lib/common

setup() {
  common_setup
  snapshot_mounts
}

teardown() {
  # The state.json case puts the container's own file back first, so cleanup_all can delete it.
  if [ -f "$TEST_TMP/state.json.saved" ]; then
    cp "$TEST_TMP/state.json.saved" "$ROOT_DIR/$CID/state.json" 2>/dev/null || true
  fi
  common_teardown
}

# nested N: N nested arrays, "[[[...]]]", made without recursion of our own
nested() {
  local n=$1
  printf '%*s' "$n" '' | tr ' ' '['
  printf '%*s' "$n" '' | tr ' ' ']'
}

# deep_config N: the bundle's config.json with N nested arrays in an unknown member
deep_config() {
  local n=$1 f=$BUNDLE/config.json
  {
    head -c -2 "$f" # the object without its closing "}\n"
    printf ',\n"x-deep": '
    nested "$n"
    printf '}\n'
  } >"$f.new"
  mv "$f.new" "$f"
}

# try_create: create, with status and output set as `run` would, but through a file: if the
# runtime accepts the input, its init keeps its stdio open and run's pipe would never close.
try_create() {
  status=0
  rt create -b "$BUNDLE" "$CID" </dev/null >"$TEST_TMP/create.out" 2>&1 || status=$?
  output=$(cat "$TEST_TMP/create.out")
}

expect_failure_naming() {
  local what=$1
  [ "$status" -ne 0 ] || fail "succeeded on hostile input"
  echo "# $RUNTIME_NAME said: ${output:0:300}" >&3
  [ -n "$output" ] || fail "no error message"
  if [ "$RUNTIME_NAME" = hull ]; then
    echo "$output" | grep -qF -- "$what" || fail "error does not name $what: ${output:0:300}"
    [ "$(echo "$output" | wc -l)" -le 2 ] || fail "error is not one line: ${output:0:300}"
  fi
}

error_says() {
  [ "$RUNTIME_NAME" != hull ] || echo "$output" | grep -qE -- "$1" ||
    fail "error does not say /$1/: ${output:0:300}"
}

# a running container for the exec and update cases
start_sleeper() {
  set_args /bin/sleep 1000
  rt run -d -b "$BUNDLE" "$CID" </dev/null >/dev/null 2>&1 || fail "run -d failed"
  wait_status "$CID" running
}

@test "hostile input: config.json that is /dev/zero" {
  ln -sf /dev/zero "$BUNDLE/config.json"
  try_create
  expect_failure_naming config.json
  error_says 'not a regular file'
  assert_nothing_left "$CID"
}

@test "hostile input: config.json larger than the limit" {
  [ "$RUNTIME_NAME" = hull ] || skip "runc has no size limit: it runs this (valid) config"
  # Valid JSON (an object padded with 17 MiB of spaces): only the size can refuse it.
  { head -c $((17 << 20)) /dev/zero | tr '\0' ' '; cat "$BUNDLE/config.json"; } >"$BUNDLE/c.new"
  mv "$BUNDLE/c.new" "$BUNDLE/config.json"
  try_create
  expect_failure_naming "$BUNDLE/config.json"
  error_says 'larger than 16 MiB'
  assert_nothing_left "$CID"
}

@test "hostile input: config.json nested 100000 levels deep" {
  deep_config 100000
  try_create
  expect_failure_naming config.json
  error_says 'nested deeper than 1000 levels'
  assert_nothing_left "$CID"
}

@test "hostile input: config.json nested 200000 levels deep" {
  deep_config 200000
  try_create
  expect_failure_naming config.json
  error_says 'nested deeper than 1000 levels'
  assert_nothing_left "$CID"
}

@test "hostile input: 1001 levels are refused, 1000 are not (unknown member, as runc)" {
  cp "$BUNDLE/config.json" "$TEST_TMP/config.orig"
  deep_config 999 # with the config object itself: 1000 levels
  # Not under `run`: the created init holds its stdio, which would keep run's pipe open.
  rt create -b "$BUNDLE" "$CID" </dev/null >"$TEST_TMP/create.out" 2>&1 ||
    fail "1000 levels refused: $(cat "$TEST_TMP/create.out")"
  if have_runc_reference; then
    ref create -b "$BUNDLE" "$RUNC_CID" </dev/null >"$TEST_TMP/create.out" 2>&1 ||
      fail "runc refused 1000 levels: $(cat "$TEST_TMP/create.out")"
    ref delete -f "$RUNC_CID"
  fi
  rt delete -f "$CID"
  assert_nothing_left "$CID"
  cp "$TEST_TMP/config.orig" "$BUNDLE/config.json"
  deep_config 1000
  try_create
  if [ "$RUNTIME_NAME" = hull ]; then
    expect_failure_naming config.json
    error_says 'nested deeper than 1000 levels at offset [0-9]+ \(line [0-9]+, column [0-9]+\)'
  fi
  rt delete -f "$CID" 2>/dev/null || true
  assert_nothing_left "$CID"
}

@test "hostile input: exec --process nested 100000 levels deep, and /dev/zero" {
  start_sleeper
  nested 100000 >"$TEST_TMP/process.json"
  run rt exec --process "$TEST_TMP/process.json" "$CID" </dev/null
  expect_failure_naming "$TEST_TMP/process.json"
  error_says 'nested deeper than 1000 levels'
  run rt exec --process /dev/zero "$CID" </dev/null
  expect_failure_naming /dev/zero
  error_says 'larger than 16 MiB'
  # the container is untouched: still running, nothing but its init inside
  [ "$(rt state "$CID" | jq -r .status)" = running ] || fail "container no longer running"
  run rt ps "$CID"
  [ "$status" -eq 0 ] || fail "ps failed: $output"
  [ "$(echo "$output" | grep -c sleep)" = 1 ] || fail "processes left in the container: $output"
  rt delete -f "$CID"
  assert_nothing_left "$CID"
}

@test "hostile input: update -r nested 100000 levels deep, from a file and from stdin" {
  start_sleeper
  nested 100000 >"$TEST_TMP/resources.json"
  run rt update -r "$TEST_TMP/resources.json" "$CID"
  expect_failure_naming "$TEST_TMP/resources.json"
  error_says 'nested deeper than 1000 levels'
  run rt update -r - "$CID" <"$TEST_TMP/resources.json"
  expect_failure_naming stdin
  error_says 'nested deeper than 1000 levels'
  run rt update -r - "$CID" </dev/zero
  expect_failure_naming stdin
  error_says 'larger than 16 MiB'
  [ "$(rt state "$CID" | jq -r .status)" = running ] || fail "container no longer running"
  rt delete -f "$CID"
  assert_nothing_left "$CID"
}

@test "hostile input: a deep state.json breaks only its own container in list" {
  [ "$RUNTIME_NAME" = hull ] || skip "state.json is hull's own format"
  set_args /bin/sleep 1000
  local other=${CID}-other
  rt create -b "$BUNDLE" "$CID" </dev/null >/dev/null 2>&1 || fail "create failed"
  rt create -b "$BUNDLE" "$other" </dev/null >/dev/null 2>&1 || fail "create of the second failed"
  cp "$ROOT_DIR/$CID/state.json" "$TEST_TMP/state.json.saved"
  nested 100000 >"$ROOT_DIR/$CID/state.json"
  run rt list
  [ "$status" -eq 0 ] || fail "list failed: $output"
  echo "$output" | grep -qF -- "$other" || fail "list lost the other container: $output"
  echo "$output" | grep -F -- "$CID" | grep -qF "load container $CID: $ROOT_DIR/$CID/state.json" ||
    fail "list does not name the bad container and its file: $output"
  echo "$output" | grep -qF 'nested deeper than 1000 levels' || fail "no reason given: $output"
  run rt state "$CID"
  expect_failure_naming "$ROOT_DIR/$CID/state.json"
  # put it back: everything must then go as usual
  cp "$TEST_TMP/state.json.saved" "$ROOT_DIR/$CID/state.json"
  rm "$TEST_TMP/state.json.saved"
  rt delete -f "$CID"
  rt delete -f "$other"
  assert_nothing_left "$CID"
  assert_nothing_left "$other"
}
