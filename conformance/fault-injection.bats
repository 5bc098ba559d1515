#!/usr/bin/env bats
# Fault injection (issue 12 step 2): every step of create, start, exec and delete made to fail
# through the kernel seam, one system call at a time. hull-fault is the hull CLI over a
# FaultKernel (linux/fault_kernel.hpp): a run with HULL_FAULT_LOG lists the calls a command
# makes (KIND and its number N within the process), then each KIND:N runs again with
# HULL_FAULTS=KIND:N and must end in one of two ways:
#   - the command fails (non-zero) with a `hull:` error that says which step failed, and
#     nothing is left behind: no state dir, cgroup, mount under the test dir, or process of
#     the container; poststop ran when createRuntime had run;
#   - the command succeeds (the failure was one hull handles) and the container works.
# A kind with many calls is sampled: FAULT_CAP (default 8) points spread evenly over its
# numbers, the first and last kept. The plan given to create also reaches the init after
# `start` released it (startContainer, the user switch, the execve).

load lib/common

HF=${HULL_FAULT:-}

setup() {
  [ -x "$HF" ] || skip "HULL_FAULT (the hull-fault test binary) not built"
  common_setup
  snapshot_mounts
  # A number no other process on the host has in its command line.
  MARK=$((7000000 + $$ % 1000000))
  set_args /bin/sleep "$MARK"
  M=$TEST_TMP/markers
  mkdir -p "$M"
  cfg '.hooks = {
      createRuntime: [{path: "/bin/sh", args: ["sh", "-c", ("echo x >>" + $m + "/createRuntime")]}],
      startContainer: [{path: "/bin/true"}],
      poststop: [{path: "/bin/sh", args: ["sh", "-c", ("echo x >>" + $m + "/poststop")]}]}' \
    --arg m "$M"
  CAP=${FAULT_CAP:-8}
  OUT=$TEST_TMP/out
  PROBLEMS=$TEST_TMP/problems
  : >"$PROBLEMS"
  REPORT=$TEST_TMP/report
  : >"$REPORT"
}

teardown() {
  [ -n "${TEST_TMP:-}" ] && [ -s "${REPORT:-}" ] && sed 's/^/# /' "$REPORT" >&3
  common_teardown
}

# problem TEXT: recorded; the test fails at its end (report_problems) with every one of them.
problem() { echo "$*" >>"$PROBLEMS"; }
report_problems() {
  [ ! -s "$PROBLEMS" ] || fail "$(wc -l <"$PROBLEMS") problem(s):
$(cat "$PROBLEMS")"
}

# hf PLAN ARGS...: hull-fault with a fault plan; hf_log LOG ARGS...: with a call log.
# Output goes to a file, never a command substitution: the container's stdio is the caller's
# and a substitution would wait for the container to exit.
hf() {
  local plan=$1
  shift
  HULL_FAULTS=$plan "$HF" --root "$ROOT_DIR" "$@"
}
hf_log() {
  local log=$1
  shift
  HULL_FAULT_LOG=$log "$HF" --root "$ROOT_DIR" "$@"
}

# points LOG: the distinct KIND:N of a call log, at most $CAP per kind, spread evenly.
points() {
  awk '{ print $2, $3 }' "$1" | sort -u -k1,1 -k2,2n | awk -v cap="$CAP" '
    { n[$1]++; v[$1, n[$1]] = $2 }
    END {
      for (k in n) {
        c = n[k]; m = c < cap ? c : cap
        for (i = 0; i < m; i++) {
          idx = m == 1 ? 1 : 1 + int(i * (c - 1) / (m - 1))
          print k ":" v[k, idx]
        }
      }
    }' | sort -u -t: -k1,1 -k2,2n
}

# left_behind ID: what of container ID is still there (empty when nothing is).
left_behind() {
  local id=$1 left="" cg now p
  [ -e "$ROOT_DIR/$id" ] && left+="state dir; "
  ls -A "$ROOT_DIR" 2>/dev/null | grep -q '^~' && left+="half-made state dir $(ls -A "$ROOT_DIR"); "
  cg=$(cgroups_mentioning "$id")
  [ -n "$cg" ] && left+="cgroups: $cg; "
  now=$(mounts_under "$TEST_TMP")
  [ "$now" = "$(cat "$TEST_TMP/mounts.before")" ] || left+="mounts: $now; "
  p=$(live_pids "$id")
  [ -n "$p" ] && left+="processes: $p; "
  p=$(live_pids "$MARK")
  [ -n "$p" ] && left+="container processes: $p; "
  echo "$left"
}

# The texts of linux/sys.hpp's wrappers and of the calls linux/ reports bare.
BARE_CALLS='open|mkdir|mknod|symlink|unlink|rename|chown|chmod|mount|umount|chroot|chdir|fchdir'
BARE_CALLS+='|setns|unshare|sethostname|setdomainname|setresuid|setresgid|setgroups|prctl|setsid'
BARE_CALLS+='|waitpid|kill|dup2|fcntl|ioctl|socket|pipe|mkfifo|poll|clone3|pivot_root|close_range'
BARE_CALLS+='|sending signal [0-9]+|sync socket (send|receive)|Input/output error'

# A `hull:` error line that says which step failed: more than the bare errno text, and more
# than the name of a system call and its object.
check_message() {
  local what=$1 line msg
  line=$(grep '^hull: ' "$OUT" | tail -n 1)
  if [ -z "$line" ]; then
    problem "$what: failed without a 'hull:' error line: $(cat "$OUT")"
    return 0
  fi
  msg=${line#hull: }
  echo "$what -> $msg" >>"$REPORT"
  case "$msg" in
    "Input/output error" | *"exited during setup"* | "sync protocol"*)
      problem "$what: unclear error: $line" ;;
  esac
  # A checked wrapper's own text ("open /x: Input/output error") with no step before it.
  if grep -qE "^($BARE_CALLS)( [^:]*)?: [A-Z][a-z]" <<<"$msg"; then
    problem "$what: the error names the call but not the step: $line"
  fi
}

# The poststop hooks ran when createRuntime had (issue 12: also after a failed create), or
# the runtime warned that the poststop hook failed (a poststop failure is a warning: the
# fault may have hit the hook's own start).
check_poststop() {
  local what=$1
  [ -s "$M/createRuntime" ] || return 0
  [ -s "$M/poststop" ] && return 0
  grep -qs '/hooks/poststop/0: hook' "$OUT" "$OUT.finish" && return 0
  problem "$what: createRuntime ran but poststop neither ran nor warned: $(cat "$OUT" "$OUT.finish" 2>/dev/null)"
}

clear_markers() { rm -f "$M"/createRuntime "$M"/poststop; }

# is_status ID STATUS
is_status() { [ "$(rt state "$1" 2>/dev/null | jq -r .status)" = "$2" ]; }

# finish ID WHAT: deletes what a point left for plain hull to delete and checks that nothing
# is left and poststop ran.
finish() {
  local id=$1 what=$2 left
  rm -f "$OUT.finish"
  if [ -e "$ROOT_DIR/$id" ]; then
    rt delete --force "$id" >"$OUT.finish" 2>&1 ||
      problem "$what: plain delete after the fault failed: $(cat "$OUT.finish")"
  fi
  left=$(left_behind "$id")
  [ -z "$left" ] || problem "$what: left behind: $left"
  check_poststop "$what"
}

summary() {
  echo "$1: $2 failure points covered ($3 failed cleanly, $4 handled)" >>"$REPORT"
}

@test "fault injection: every failure point of create leaves nothing behind" {
  hf_log "$TEST_TMP/log" create -b "$BUNDLE" "$CID" >"$OUT" 2>&1 || fail "create under the call log failed"
  rt start "$CID" || fail "start after the logged create failed"
  rt delete --force "$CID"
  local pts failed=0 handled=0 i=0 p id
  pts=$(points "$TEST_TMP/log")
  [ -n "$pts" ] || fail "the call log is empty"
  for p in $pts; do
    i=$((i + 1))
    id=${CID}c${i}x
    clear_markers
    if hf "$p" create -b "$BUNDLE" "$id" >"$OUT" 2>&1 </dev/null; then
      # Handled, or a plan that fails the init only after `start` released it.
      if rt start "$id" >"$OUT" 2>&1; then
        is_status "$id" running || problem "create $p: started but not running"
        handled=$((handled + 1))
      else
        check_message "create $p (at start)"
        failed=$((failed + 1))
      fi
    else
      check_message "create $p"
      [ ! -e "$ROOT_DIR/$id" ] || problem "create $p: failed but left its state dir"
      failed=$((failed + 1))
    fi
    finish "$id" "create $p"
  done
  summary create "$i" "$failed" "$handled"
  report_problems
}

@test "fault injection: every failure point of start leaves nothing behind" {
  rt create -b "$BUNDLE" "$CID" >"$OUT" 2>&1 || fail "create failed"
  hf_log "$TEST_TMP/log" start "$CID" || fail "start under the call log failed"
  rt delete --force "$CID"
  local pts failed=0 handled=0 i=0 p id
  pts=$(points "$TEST_TMP/log")
  for p in $pts; do
    i=$((i + 1))
    id=${CID}s${i}x
    clear_markers
    rt create -b "$BUNDLE" "$id" >"$OUT" 2>&1 || fail "start $p: plain create failed: $(cat "$OUT")"
    if hf "$p" start "$id" >"$OUT" 2>&1 </dev/null; then
      is_status "$id" running || problem "start $p: succeeded but not running"
      handled=$((handled + 1))
    else
      check_message "start $p"
      failed=$((failed + 1))
    fi
    finish "$id" "start $p"
  done
  summary start "$i" "$failed" "$handled"
  report_problems
}

@test "fault injection: every failure point of exec leaves the container as it was" {
  rt create -b "$BUNDLE" "$CID" >"$OUT" 2>&1 || fail "create failed"
  rt start "$CID" || fail "start failed"
  local before
  before=$(ls -A "$ROOT_DIR/$CID")
  hf_log "$TEST_TMP/log" exec "$CID" /bin/true >"$OUT" 2>&1 || fail "exec under the call log failed"
  local pts failed=0 handled=0 i=0 p left
  pts=$(points "$TEST_TMP/log")
  for p in $pts; do
    i=$((i + 1))
    if hf "$p" exec "$CID" /bin/true >"$OUT" 2>&1 </dev/null; then
      handled=$((handled + 1))
    else
      check_message "exec $p"
      failed=$((failed + 1))
    fi
    is_status "$CID" running || problem "exec $p: the container is no longer running"
    [ "$(ls -A "$ROOT_DIR/$CID")" = "$before" ] || problem "exec $p: state dir changed: $(ls -A "$ROOT_DIR/$CID")"
    left=$(live_pids "$CID")
    [ -z "$left" ] || problem "exec $p: processes left: $left"
    [ "$(mounts_under "$TEST_TMP")" = "$(cat "$TEST_TMP/mounts.before")" ] || problem "exec $p: mounts left"
  done
  rt exec "$CID" /bin/true || fail "a plain exec after the faults failed"
  clear_markers
  finish "$CID" "exec"
  summary exec "$i" "$failed" "$handled"
  report_problems
}

@test "fault injection: every failure point of delete leaves something a plain delete removes" {
  rt create -b "$BUNDLE" "$CID" >"$OUT" 2>&1 || fail "create failed"
  rt start "$CID" || fail "start failed"
  hf_log "$TEST_TMP/log" delete --force "$CID" || fail "delete under the call log failed"
  local pts failed=0 handled=0 i=0 p id
  pts=$(points "$TEST_TMP/log")
  for p in $pts; do
    i=$((i + 1))
    id=${CID}d${i}x
    clear_markers
    rt create -b "$BUNDLE" "$id" >"$OUT" 2>&1 || fail "delete $p: plain create failed: $(cat "$OUT")"
    rt start "$id" >"$OUT" 2>&1 || fail "delete $p: plain start failed: $(cat "$OUT")"
    if hf "$p" delete --force "$id" >"$OUT" 2>&1 </dev/null; then
      handled=$((handled + 1))
    else
      check_message "delete $p"
      failed=$((failed + 1))
    fi
    finish "$id" "delete $p"
  done
  summary delete "$i" "$failed" "$handled"
  report_problems
}
