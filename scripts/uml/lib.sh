# User-mode Linux guests for tests that need a kernel this host does not give them (pure
# cgroup v2, a systemd guest). Sourced by scripts/uml/run.sh and by suites that boot their own
# guest. A guest is one linux.uml process (no KVM, no root filesystem image of its own unless
# one is given): its console goes to a log file, and a command and its results travel through
# an exchange directory on the host that the guest mounts with hostfs.
#
# Safety: hostfs writes land on the host's files as root. A guest whose root is the host's /
# must put every write on a guest tmpfs (guest-init.sh mounts them) or in the exchange dir.

UML_KERNEL=${UML_KERNEL:-linux.uml}

# uml_why_not: prints why no guest can start here (empty when one can); status 1 then.
uml_why_not() {
  if ! command -v "$UML_KERNEL" >/dev/null 2>&1; then
    echo "$UML_KERNEL not found (Debian package user-mode-linux; scripts/deps.sh installs it)"
    return 1
  fi
  if [ ! -w /dev/shm ] && [ ! -w "${TMPDIR:-/tmp}" ]; then
    echo "neither /dev/shm nor ${TMPDIR:-/tmp} is writable: linux.uml keeps its memory there"
    return 1
  fi
  return 0
}

# uml_boot ROOT INIT MEM XCHG LOG [KERNEL ARGS...]: boots a guest and waits until it powers
# off. ROOT: the host directory that becomes the guest's / (hostfs); INIT: the init program,
# a path inside the guest; MEM: guest memory (512M, 1G); XCHG: the exchange directory, passed
# to init as $hull_xchg; LOG: where the console goes. KERNEL ARGS of the form name=value
# reach init as environment variables (guest-init.sh reads hull_keep). Status: linux.uml's.
# linux.uml starts its own session: its pid (the session's, see uml_kill) goes to XCHG/uml.pid.
uml_boot() {
  local root=$1 init=$2 mem=$3 xchg=$4 log=$5
  shift 5
  # stdin is /dev/null: nothing must wait for a console read; the kernel's own chatter is kept
  # short (quiet) and goes to LOG with the init's console output.
  "$UML_KERNEL" "mem=$mem" root=/dev/root rootfstype=hostfs "rootflags=$root" rw \
    "init=$init" "hull_xchg=$xchg" con=null con0=fd:0,fd:1 quiet "$@" </dev/null >"$log" 2>&1 &
  local pid=$!
  echo "$pid" >"$xchg/uml.pid"
  wait "$pid"
  local rc=$?
  # (gone: its pid may be reused)
  rm -f "$xchg/uml.pid"
  return $rc
}

# uml_kill XCHG: ends the guest uml_boot started with XCHG, with every process of it (each
# guest process is a host process in linux.uml's process group).
uml_kill() {
  local pid
  pid=$(cat "$1/uml.pid" 2>/dev/null) || return 0
  [ -n "$pid" ] && kill -KILL -- "-$pid" 2>/dev/null
  return 0
}

# uml_sh_quote WORD: WORD quoted for any POSIX sh (the guests' inits run `cmd` with dash,
# which knows no $'...': printf %q's form for a newline)
uml_sh_quote() {
  local q="'\\''"
  printf "'%s'" "${1//\'/$q}"
}

# uml_prepare XCHG CWD COMMAND ARGS...: writes the command for guest-init.sh (or any init
# that follows its protocol) into XCHG: `cmd` is a POSIX shell script run in CWD.
uml_prepare() {
  local xchg=$1 cwd=$2 a
  shift 2
  {
    echo "cd $(uml_sh_quote "$cwd") || exit 125"
    printf 'exec'
    for a in "$@"; do printf ' %s' "$(uml_sh_quote "$a")"; done
    echo
  } >"$xchg/cmd"
  rm -f "$xchg/out" "$xchg/err" "$xchg/rc"
}

# uml_result XCHG LOG [streamed]: copies the guest command's stdout (unless streamed: already
# shown while it ran, see uml_stream) and stderr to ours and returns its exit status. When the command never finished (no rc file: the guest did not boot, its init
# failed, the kernel died) says so on stderr with the end of the console log, status 125.
uml_result() {
  local xchg=$1 log=$2 streamed=${3:-}
  [ -z "$streamed" ] && [ -f "$xchg/out" ] && cat "$xchg/out"
  [ -f "$xchg/err" ] && cat "$xchg/err" >&2
  if [ ! -s "$xchg/rc" ]; then
    echo "uml: the guest command did not finish; the end of the console log ($log):" >&2
    tail -n 40 "$log" 2>/dev/null | sed 's/^/uml:   /' >&2
    return 125
  fi
  return "$(cat "$xchg/rc")"
}

# uml_stream XCHG PID: copies the guest command's stdout to ours as it grows (hostfs writes
# reach the host file at once) until process PID (the linux.uml) ends.
uml_stream() {
  local xchg=$1 pid=$2
  touch "$xchg/out"
  tail -n +1 -s 0.5 -F --pid="$pid" "$xchg/out" 2>/dev/null
}
