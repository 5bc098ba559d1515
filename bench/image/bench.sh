#!/usr/bin/env bash
# oci-image against umoci and plain tar on a Debian minbase image (2 layers), in one run.
# Usage: bash bench/image/bench.sh [OCI_IMAGE] [ROUNDS]
# The image is made once with debootstrap + umoci and cached in /var/cache/hull-bench.
set -euo pipefail
cd "$(dirname "$0")/../.."
OCI_IMAGE=$(realpath "${1:-build/src/image/oci-image}")
ROUNDS=${2:-3}
CACHE=/var/cache/hull-bench
LAYOUT=$CACHE/debian-layout

build_image() {
  command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
  local work
  work=$(mktemp -d /var/tmp/hull-bench-build.XXXXXX)
  trap 'rm -rf "$work"' RETURN
  if [ ! -f "$CACHE/debian-minbase.tar" ]; then
    echo "debootstrap --variant=minbase bookworm (once)..." >&2
    debootstrap --variant=minbase bookworm "$work/root" http://deb.debian.org/debian >/dev/null
    tar -C "$work/root" -cf "$CACHE/debian-minbase.tar" .
    rm -rf "$work/root"
  fi
  local L=$work/layout
  umoci init --layout "$L"
  umoci new --image "$L:debian"
  umoci unpack --image "$L:debian" "$work/b" >/dev/null
  # Layer 1: the system without usr/share and var; layer 2 adds them.
  tar -C "$work/b/rootfs" -xf "$CACHE/debian-minbase.tar" --exclude=./usr/share --exclude=./var
  umoci repack --image "$L:debian" "$work/b"
  tar -C "$work/b/rootfs" -xf "$CACHE/debian-minbase.tar" ./usr/share ./var
  umoci repack --image "$L:debian" "$work/b"
  umoci config --image "$L:debian" --config.cmd /bin/bash
  umoci gc --layout "$L"
  mv "$L" "$LAYOUT"
}

mkdir -p "$CACHE"
[ -f "$LAYOUT/index.json" ] || build_image

W=$(mktemp -d /var/tmp/hull-bench.XXXXXX)
cleanup() {
  for m in $(awk -v d="$W" 'index($5, d) == 1 {print $5}' /proc/self/mountinfo | sort -r); do
    umount -l "$m" || true
  done
  rm -rf "$W"
}
trap cleanup EXIT

layers=$(jq -r '.layers[].digest' "$LAYOUT/blobs/sha256/$(jq -r '.manifests[0].digest' "$LAYOUT/index.json" | cut -d: -f2)" | cut -d: -f2)
size=0
for l in $layers; do size=$((size + $(stat -c %s "$LAYOUT/blobs/sha256/$l"))); done

now() { date +%s%N; }
# Runs "$@" once after a sync, prints milliseconds.
timed() {
  sync
  local t0 t1
  t0=$(now)
  "$@" >/dev/null
  t1=$(now)
  echo $(((t1 - t0) / 1000000))
}

run_umoci() { umoci unpack --image "$LAYOUT:debian" "$W/umoci" >/dev/null; }
run_unpack() { OCI_IMAGE_NO_PROGRESS=1 "$OCI_IMAGE" unpack "oci:$LAYOUT:debian" "$W/ours"; }
run_tar() {
  mkdir -p "$W/tar"
  for l in $layers; do tar -C "$W/tar" -xzf "$LAYOUT/blobs/sha256/$l"; done
}
run_cold() {
  OCI_IMAGE_NO_PROGRESS=1 "$OCI_IMAGE" prepare --store "$W/store" "oci:$LAYOUT:debian" "$W/cold"
}
run_warm() {
  OCI_IMAGE_NO_PROGRESS=1 "$OCI_IMAGE" prepare --store "$W/store" "oci:$LAYOUT:debian" "$W/warm"
}
reset() {
  "$OCI_IMAGE" release "$W/cold" "$W/warm" 2>/dev/null || true
  rm -rf "$W/umoci" "$W/ours" "$W/tar" "$W/store"
  sync
}

declare -A T
for r in $(seq 1 "$ROUNDS"); do
  # Alternate the order so no tool always follows the same one.
  if [ $((r % 2)) -eq 1 ]; then order="umoci unpack tar cold warm"; else order="tar cold warm unpack umoci"; fi
  for tool in $order; do
    case $tool in
      warm) ms=$(timed run_warm) ;;
      *) ms=$(timed "run_$tool") ;;
    esac
    T[$tool]="${T[$tool]:-} $ms"
  done
  reset
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
files=$(tar -tf "$CACHE/debian-minbase.tar" | wc -l)
echo "image: 2 layers, $((size / 1000000)) MB compressed, $files entries; $ROUNDS rounds, median ms"
declare -A LABEL=([umoci]="umoci unpack" [unpack]="oci-image unpack" [tar]="tar -xzf (floor)"
  [cold]="oci-image prepare cold" [warm]="oci-image prepare warm")
for tool in umoci unpack tar cold warm; do
  printf '  %-24s %6s ms   (%s)\n' "${LABEL[$tool]}" "$(echo "${T[$tool]}" | median)" "${T[$tool]# }"
done
m() { echo "${T[$1]}" | median; }
awk -v u="$(m umoci)" -v o="$(m unpack)" -v t="$(m tar)" -v c="$(m cold)" -v w="$(m warm)" 'BEGIN {
  printf "ratios: oci-image unpack / umoci = %.2f, unpack / tar = %.2f, prepare cold / tar = %.2f, umoci / prepare warm = %.0fx (warm %d ms)\n", o/u, o/t, c/t, u/w, w }'
