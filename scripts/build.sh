#!/usr/bin/env bash
# Configures (once) and builds hull, oci-image, oci-bridge, the probe and the unit tests in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
  meson setup build --buildtype=release -Dwerror=true >/dev/null
fi
ninja -C build
