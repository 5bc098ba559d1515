#!/usr/bin/env bash
# Configures (once) and builds the sanitizer build in build-asan/: AddressSanitizer and
# UndefinedBehaviorSanitizer, with clang (gcc 12 cannot catch stack-use-after-return), and a
# dynamically linked hull (the ASan runtime cannot be linked statically). The probe stays
# static and unsanitized (conformance/meson.build).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build-asan/build.ninja ]; then
  CC=${ASAN_CC:-clang} CXX=${ASAN_CXX:-clang++} meson setup build-asan --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false -Dstatic_runtime=false >/dev/null
fi
ninja -C build-asan
