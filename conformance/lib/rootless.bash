# An unprivileged test user for the rootless suites (rootless.bats; the podman suite reuses it).
# The suite runs as root and makes the user itself: a home, a /etc/subuid and /etc/subgid range
# (useradd allocates them, under shadow's own lock), and an XDG_RUNTIME_DIR /run/user/UID made
# by hand (no logind here). rootless_user_remove undoes all of it, also after a failure: the
# user's processes (by pid: every process of this uid is one the suite started, the user being
# new), cgroup dirs it owns, the runtime dir, the subordinate ranges, the user and its home.
#
#   setup_file()    { rootless_user_create; }
#   teardown_file() { rootless_user_remove; }
#   as_user CMD...  runs CMD as the user (login-like environment: HOME, USER, XDG_RUNTIME_DIR)
#
# Exports RL_USER RL_UID RL_GID RL_HOME RL_XDG RL_SUBUID RL_SUBGID (the first subordinate id;
# the ranges are 65536 long). A user left by a run that was killed (its creator pid is gone) is
# removed by the next rootless_user_create.

RL_RECORDS=/run/hull-rootless-users

rootless_user_create() {
  local name=hullrl$$
  mkdir -p "$RL_RECORDS"
  rootless_sweep_stale
  # The record first: a run killed from here on is swept by the next one.
  echo "$$" >"$RL_RECORDS/$name"
  useradd --create-home --shell /bin/sh --comment "hull rootless test" "$name" ||
    fail "useradd $name failed"
  export RL_USER=$name
  RL_UID=$(id -u "$name")
  RL_GID=$(id -g "$name")
  RL_HOME=$(getent passwd "$name" | cut -d: -f6)
  export RL_UID RL_GID RL_HOME
  # useradd gives a new user a range when /etc/subuid exists (SUB_UID_COUNT); a host without
  # those files gets one here, past every range already given.
  local f start
  for f in /etc/subuid /etc/subgid; do
    if ! grep -q "^$name:" "$f" 2>/dev/null; then
      start=$(awk -F: 'BEGIN { m = 100000 } $2 + $3 > m { m = $2 + $3 } END { print m }' \
        /etc/subuid /etc/subgid 2>/dev/null)
      echo "$name:$start:65536" >>"$f"
    fi
  done
  RL_SUBUID=$(awk -F: -v u="$name" '$1 == u { print $2; exit }' /etc/subuid)
  RL_SUBGID=$(awk -F: -v u="$name" '$1 == u { print $2; exit }' /etc/subgid)
  export RL_SUBUID RL_SUBGID
  export RL_XDG=/run/user/$RL_UID
  mkdir -p /run/user
  install -d -m 0700 -o "$RL_UID" -g "$RL_GID" "$RL_XDG"
}

# as_user CMD...: CMD as the test user, in the current dir, with a clean login-like environment
# (the bounding set stays whole, as at a login: newuidmap's file capabilities need it).
as_user() {
  setpriv --reuid="$RL_UID" --regid="$RL_GID" --init-groups --inh-caps=-all \
    env -i HOME="$RL_HOME" USER="$RL_USER" LOGNAME="$RL_USER" XDG_RUNTIME_DIR="$RL_XDG" \
    PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 "$@"
}

# the user's live processes, by pid
rootless_user_pids() {
  local uid=$1
  ps -e -o pid=,uid= | awk -v u="$uid" '$2 == u { print $1 }'
}

# rootless_user_remove [NAME]: everything rootless_user_create made for NAME ($RL_USER)
rootless_user_remove() {
  local name=${1:-${RL_USER:-}} uid p d m
  [ -n "$name" ] || return 0
  uid=$(id -u "$name" 2>/dev/null) || uid=
  if [ -n "$uid" ]; then
    # SIGKILL each process of the user, by pid, until none is left (a dying init's children
    # can show up once more); bounded so a stuck process cannot hang the teardown.
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      p=$(rootless_user_pids "$uid")
      [ -n "$p" ] || break
      for d in $p; do kill -KILL "$d" 2>/dev/null || true; done
      sleep 0.2
    done
    # cgroup dirs the user owns (a delegated subtree, or one a runtime made), deepest first
    find /sys/fs/cgroup -mindepth 2 -maxdepth 8 -type d -uid "$uid" 2>/dev/null |
      awk '{ print length($0) " " $0 }' | sort -rn | cut -d' ' -f2- |
      while read -r d; do rmdir "$d" 2>/dev/null || true; done
    d=/run/user/$uid
    if [ -d "$d" ]; then
      while read -r m; do [ -n "$m" ] && umount -l "$m" 2>/dev/null || true; done < <(mounts_under "$d")
      [ -z "$(mounts_under "$d")" ] && rm -rf --one-file-system "$d"
    fi
  fi
  if getent passwd "$name" >/dev/null; then
    local home
    home=$(getent passwd "$name" | cut -d: -f6)
    userdel --remove "$name" 2>/dev/null || userdel "$name" || true
    [ -n "$home" ] && [ "$home" != / ] && rm -rf --one-file-system "$home"
  fi
  # userdel drops the user's subordinate ranges; lines this file added itself too
  for d in /etc/subuid /etc/subgid; do
    if grep -q "^$name:" "$d" 2>/dev/null; then
      sed -i "/^$name:/d" "$d"
    fi
  done
  getent group "$name" >/dev/null && groupdel "$name" 2>/dev/null
  rm -f "$RL_RECORDS/$name"
  return 0
}

# users of earlier runs whose creator is gone
rootless_sweep_stale() {
  local rec
  for rec in "$RL_RECORDS"/hullrl*; do
    [ -f "$rec" ] || continue
    kill -0 "$(cat "$rec")" 2>/dev/null && continue
    rootless_user_remove "$(basename "$rec")"
  done
}

# rootless_bundle DIR: a bundle for the user: rootfs as make_bundle builds it, config.json
# from `RUNTIME spec --rootless` run as the user, the whole tree owned by the user.
rootless_bundle() {
  local dir=$1
  make_bundle "$dir"
  rm -f "$dir/config.json"
  chown -R "$RL_UID:$RL_GID" "$dir"
  (cd "$dir" && as_user "$RUNTIME" spec --rootless) || fail "$RUNTIME_NAME spec --rootless failed in $dir"
  cfg_at "$dir" '.process.terminal = false | .process.args = ["/probe"] | .hostname = "conformance"'
  chown "$RL_UID:$RL_GID" "$dir/config.json"
}
