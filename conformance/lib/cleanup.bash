# Cleanup and "nothing left behind" checks. Everything a test makes is registered under
# $TEST_TMP so teardown can undo it even when the test failed half way.

# remember_netns NAME / remember_cgroup DIR: undone in teardown
remember_netns() { echo "$1" >>"$TEST_TMP/netns.list"; }
remember_cgroup() { echo "$1" >>"$TEST_TMP/cgroups.list"; }

# mountpoints (from our own mountinfo) at or under a path prefix, deepest first
mounts_under() {
  local prefix=$1
  awk -v p="$prefix" '{ m = $5; gsub(/\\040/, " ", m); if (m == p || index(m, p "/") == 1) print m }' \
    /proc/self/mountinfo | sort -r
}

cleanup_all() {
  local root id
  for root in "$ROOT_DIR" "$RUNC_ROOT"; do
    [ -d "$root" ] || continue
    local bin=$RUNTIME
    [ "$root" = "$RUNC_ROOT" ] && bin=$RUNC
    for id in $("$bin" --root "$root" list -q 2>/dev/null); do
      "$bin" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
    done
  done
  if [ -f "$TEST_TMP/netns.list" ]; then
    while read -r ns; do ip netns delete "$ns" 2>/dev/null || true; done <"$TEST_TMP/netns.list"
  fi
  # cgroups named for this test's ids (runtimes leave parents of nested paths), deepest first
  local d
  {
    cat "$TEST_TMP/cgroups.list" 2>/dev/null
    cgroups_mentioning "$CID"
    cgroups_mentioning "$RUNC_CID"
  } | awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2- | while read -r d; do
    [ -d "$d" ] && rmdir "$d" 2>/dev/null || true
  done
  local m
  while read -r m; do [ -n "$m" ] && umount -l "$m" 2>/dev/null || true; done < <(mounts_under "$TEST_TMP")
  # never cross into a mount that is still there (a bind of a host dir must not be emptied)
  if [ -z "$(mounts_under "$TEST_TMP")" ]; then
    rm -rf --one-file-system "$TEST_TMP"
  else
    echo "# leaving $TEST_TMP: mounts remain under it" >&2
  fi
}

# live_pids [-x] WORD: processes whose command line holds WORD (with -x: as one whole
# argument) that are neither zombies nor already hit by a SIGKILL (a process killed a moment
# ago is dying, not left behind). One grep over every cmdline: a loop over /proc costs
# seconds per call on a loaded host.
live_pids() {
  local match=(-lzF) f p
  if [ "$1" = -x ]; then
    match=(-lzxF)
    shift
  fi
  for f in $(grep "${match[@]}" -f <(printf %s "$1") /proc/[0-9]*/cmdline 2>/dev/null); do
    p=${f#/proc/}
    p=${p%/cmdline}
    [ "$p" = "$$" ] && continue
    [ -r "/proc/$p/status" ] || continue
    awk '/^State:/ { if ($2 == "Z" || $2 == "X") dead = 1 }
         /^(SigPnd|ShdPnd):/ { if (and(strtonum("0x" $2), 256)) dead = 1 }
         END { exit dead ? 1 : 0 }' "/proc/$p/status" 2>/dev/null && echo "$p"
  done
  return 0
}

# cgroup dirs (any hierarchy under /sys/fs/cgroup) whose name contains WORD
cgroups_mentioning() {
  find /sys/fs/cgroup -maxdepth 6 -type d -name "*$1*" 2>/dev/null || true
}

# assert_nothing_left ID: no state for ID under --root, no cgroup, no mount under the test
# dir other than those present before ($TEST_TMP/mounts.before), no process naming ID
assert_nothing_left() {
  local id=$1 left=""
  if [ -d "$ROOT_DIR" ]; then
    [ -e "$ROOT_DIR/$id" ] && left+="state dir $ROOT_DIR/$id; "
    rt list -q 2>/dev/null | grep -qx -- "$id" && left+="listed by '$RUNTIME_NAME list'; "
  fi
  local cg
  cg=$(cgroups_mentioning "$id")
  [ -n "$cg" ] && left+="cgroups: $cg; "
  local now
  now=$(mounts_under "$TEST_TMP")
  if [ "$now" != "$(cat "$TEST_TMP/mounts.before" 2>/dev/null)" ]; then
    left+="mounts: $now; "
  fi
  local p
  p=$(live_pids "$id")
  [ -n "$p" ] && left+="processes: $p; "
  [ -z "$left" ] || fail "left behind after failed create of $id: $left"
}

snapshot_mounts() { mounts_under "$TEST_TMP" >"$TEST_TMP/mounts.before"; }
