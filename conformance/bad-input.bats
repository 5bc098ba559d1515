#!/usr/bin/env bats
# Bad input: each case must fail (non-zero exit) with an error that names the file or field,
# and leave nothing behind: no state dir, cgroup, mount or process for the id.
# Messages are checked loosely so runc passes too; hull's own wording is checked where
# RUNTIME_NAME is hull.

load lib/common

setup() {
  common_setup
  snapshot_mounts
}
teardown() { common_teardown; }

# expect_create_failure: create must fail with a message; sets $output
expect_create_failure() {
  run rt create -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -ne 0 ] || fail "create succeeded"
  [ -n "$output" ] || fail "no error message"
  echo "# $RUNTIME_NAME said: $output" >&3
}

error_mentions() {
  echo "$output" | grep -qiE -- "$1" || fail "error does not mention /$1/: $output"
}

@test "bad input: config.json that is not JSON" {
  printf '{"ociVersion": "1.0.2", "process": {"args": [' >"$BUNDLE/config.json"
  expect_create_failure
  error_mentions 'config.json|json|EOF' # runc 1.1 only says "unexpected EOF"
  [ "$RUNTIME_NAME" != hull ] || error_mentions 'config.json'
  assert_nothing_left "$CID"
}

@test "bad input: missing config.json" {
  rm "$BUNDLE/config.json"
  expect_create_failure
  error_mentions 'config.json'
  assert_nothing_left "$CID"
}

@test "bad input: process.args given as a string" {
  cfg '.process.args = "/probe"'
  expect_create_failure
  error_mentions 'args'
  [ "$RUNTIME_NAME" != hull ] || error_mentions '/process/args'
  assert_nothing_left "$CID"
}

@test "bad input: process.user.uid given as a string" {
  cfg '.process.user.uid = "0"'
  expect_create_failure
  error_mentions 'uid'
  [ "$RUNTIME_NAME" != hull ] || error_mentions '/process/user/uid'
  assert_nothing_left "$CID"
}

@test "bad input: root.path that does not exist" {
  cfg '.root.path = "no-such-rootfs"'
  expect_create_failure
  error_mentions 'no-such-rootfs'
  assert_nothing_left "$CID"
}

@test "bad input: a bundle dir that does not exist" {
  run rt create -b "$TEST_TMP/no-such-bundle" "$CID" </dev/null
  [ "$status" -ne 0 ]
  error_mentions 'no-such-bundle|config.json'
  assert_nothing_left "$CID"
}

@test "bad input: args[0] not found in the rootfs" {
  set_args /no/such/program
  run rt run -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -ne 0 ]
  # engines turn this wording into exit code 127
  error_mentions 'no such file or directory'
  error_mentions '/no/such/program'
  assert_nothing_left "$CID"
}

@test "bad input: args[0] not found on PATH" {
  set_args no-such-program-on-path
  run rt run -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -ne 0 ]
  error_mentions 'no-such-program-on-path'
  error_mentions 'not found|no such file'
  assert_nothing_left "$CID"
}

@test "bad input: relative process.cwd" {
  cfg '.process.cwd = "relative/dir"'
  expect_create_failure
  error_mentions 'cwd'
  assert_nothing_left "$CID"
}

@test "bad input: an unknown namespace type" {
  cfg '.linux.namespaces += [{type: "bogusns"}]'
  expect_create_failure
  error_mentions 'bogusns|namespace'
  [ "$RUNTIME_NAME" != hull ] || error_mentions '/linux/namespaces'
  assert_nothing_left "$CID"
}

@test "bad input: a namespace type listed twice" {
  cfg '.linux.namespaces += [{type: "pid"}]'
  expect_create_failure
  error_mentions 'pid|namespace|duplicate'
  assert_nothing_left "$CID"
}

@test "bad input: a mount with a relative destination" {
  [ "$RUNTIME_NAME" = runc ] && skip "runc 1.1 accepts relative mount destinations (deprecated in the spec)"
  add_mount relative/dest tmpfs tmpfs size=64k
  expect_create_failure
  error_mentions 'destination|/mounts'
  assert_nothing_left "$CID"
}

@test "bad input: a mount destination that is a symlink out of the rootfs stays inside it" {
  local hostdir=$TEST_TMP/hostdir
  mkdir -p "$hostdir"
  echo keep >"$hostdir/file"
  ln -s "$hostdir" "$BUNDLE/rootfs/evil-abs"
  ln -s "../../../../../../../../..$hostdir" "$BUNDLE/rootfs/evil-rel"
  add_mount /evil-abs tmpfs tmpfs size=64k
  add_mount /evil-rel/sub tmpfs tmpfs size=64k
  set_args /probe
  run rt run -b "$BUNDLE" "$CID" </dev/null
  # refusing is fine; succeeding is fine only if the mounts landed inside the rootfs
  if [ "$status" = 0 ]; then
    echo "$output" | grep '^{' | jq -e . >/dev/null
  else
    echo "# $RUNTIME_NAME refused: $output" >&3
    assert_nothing_left "$CID"
  fi
  # the host dir is untouched: same single file, no mount on or under it
  [ "$(ls -A "$hostdir")" = file ]
  [ "$(cat "$hostdir/file")" = keep ]
  [ -z "$(mounts_under "$hostdir")" ]
  [ "$(mounts_under "$TEST_TMP")" = "$(cat "$TEST_TMP/mounts.before")" ]
}

@test "bad input: a duplicate id on create" {
  set_args /probe --quiet --sleep 1000
  rt create -b "$BUNDLE" "$CID" >"$TEST_TMP/ctr.out" 2>&1
  local pid
  pid=$(rt state "$CID" | jq -r .pid)
  run rt create -b "$BUNDLE" "$CID" </dev/null
  [ "$status" -ne 0 ]
  error_mentions 'exist|already|in use'
  # the first container is untouched
  [ "$(rt state "$CID" | jq -r '.status + " " + (.pid | tostring)')" = "created $pid" ]
}

@test "bad input: an id with a slash or dots" {
  for id in "../escape-$CID" "a/b-$CID" ".."; do
    run rt create -b "$BUNDLE" "$id" </dev/null
    [ "$status" -ne 0 ] || fail "id '$id' accepted"
    error_mentions 'id'
  done
  [ ! -e "$TEST_TMP/escape-$CID" ]
  [ -z "$(pids_mentioning "escape-$CID")" ]
}
