#!/usr/bin/env bash
# Installs, from Debian's archive, what building and testing hull needs; only what is missing.
set -euo pipefail
pkgs=(meson ninja-build pkg-config g++ python3 rapidjson-dev libcli11-dev
  libseccomp-dev libcap-dev libdbus-1-dev libgtest-dev libgmock-dev libarchive-dev libssl-dev libmnl-dev
  libnftables-dev nftables containernetworking-plugins busybox-static bats jq runc crun umoci
  skopeo iproute2 util-linux uidmap debootstrap time podman conmon catatonit netavark aardvark-dns
  containerd docker.io tini procps clang buildah user-mode-linux strace lld)
if [ "${1:-}" = "--print" ]; then printf '%s\n' "${pkgs[@]}"; exit 0; fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # docker.io and containerd must not start system services: the engine tests run their own.
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
