#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine, as root: install what is missing, build hull,
# make a busybox bundle and run a container in it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh >/dev/null
hull=$PWD/build/src/cli/hull
bundle=$(mktemp -d /tmp/hull-demo.XXXXXX)
trap 'rm -rf "$bundle"' EXIT
mkdir -p "$bundle/rootfs/bin"
cp /bin/busybox "$bundle/rootfs/bin/"
for applet in sh echo cat hostname id ls uname; do ln -s busybox "$bundle/rootfs/bin/$applet"; done
"$hull" spec --bundle "$bundle"
# A non-interactive command instead of the default interactive shell.
jq '.process.terminal = false
    | .process.args = ["sh", "-c", "echo hello from a hull container; id; hostname; ls /dev"]' \
  "$bundle/config.json" > "$bundle/config.json.new"
mv "$bundle/config.json.new" "$bundle/config.json"
"$hull" run --bundle "$bundle" "demo-$$"
