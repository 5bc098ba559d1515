# Cgroup helpers for the conformance suites (with lib/common): where a container's cgroup
# files are on this host's layout (hybrid v1 here, pure v2 in a guest), and checks on them.

CG=/sys/fs/cgroup

# The layout: pure cgroup v2 (a guest, most hosts today) or v1/hybrid (this machine).
is_v2() { [ "$(stat -f -c %T "$CG")" = cgroup2fs ]; }
# v2_has CONTROLLER: the v2 root offers it (UML guests lack cpuset, hugetlb and rdma)
v2_has() { grep -qw "$1" "$CG/cgroup.controllers"; }

# cgpath NAME: the jq filter part that puts the container in /NAME on every hierarchy
cgpath() { echo ".linux.cgroupsPath=\"/$1\""; }

# cgdir CONTROLLER NAME: the directory holding that controller's files for cgroup /NAME
cgdir() { if is_v2; then echo "$CG/$2"; else echo "$CG/$1/$2"; fi; }
cgfile() { tr -d '\n' <"$(cgdir "$1" "$2")/$3"; }

# expect_cg NAME "CONTROLLER FILE VALUE"...: each cgroup file of /NAME holds the value
expect_cg() {
  local name=$1 spec ctrl file want got
  shift
  for spec in "$@"; do
    read -r ctrl file want <<<"$spec"
    got=$(cgfile "$ctrl" "$name" "$file")
    if [ "$got" != "$want" ]; then
      echo "$ctrl/$file: expected \"$want\", got \"$got\""
      return 1
    fi
  done
}

# no_cgroup_left NAME: no hierarchy has a cgroup /NAME
no_cgroup_left() {
  local name=$1 d
  for d in "$CG"/*/"$name" "$CG"/unified/"$name" "$CG/$name"; do
    if [ -e "$d" ]; then
      echo "left behind: $d"
      return 1
    fi
  done
}

# test_blockdev: MAJOR:MINOR of a real block device here (io.max and the throttle files
# refuse devices that do not exist): the first disk under /sys/block.
test_blockdev() {
  local d
  for d in /sys/block/*; do
    case ${d##*/} in loop* | ram* | zram* | nbd*) continue ;; esac
    cat "$d/dev"
    return 0
  done
  return 1
}

# wait_for CMD...: retries a check until it holds (no time limit of our own beyond the
# generous count: a busy machine is slow)
wait_for() {
  local i
  for i in $(seq 600); do
    "$@" && return 0
    sleep 0.1
  done
  return 1
}

# count_lines PATTERN FILE: how many lines of FILE match.
count_lines() { grep -c "$1" "$2" || true; }
