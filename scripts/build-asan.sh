#!/usr/bin/env bash
# Configures (once) and builds the sanitizer build in build-asan/: AddressSanitizer and
# UndefinedBehaviorSanitizer, with clang (gcc 12 cannot catch stack-use-after-return), a
# dynamically linked hull (the ASan runtime cannot be linked statically) and the libFuzzer
# harnesses of fuzz/. The probe stays static and unsanitized (conformance/meson.build).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build-asan/build.ninja ]; then
  CC=${ASAN_CC:-clang} CXX=${ASAN_CXX:-clang++} meson setup build-asan --buildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false -Dstatic_runtime=false -Dfuzz=true >/dev/null
fi
# A build-asan/ configured before the fuzz harnesses existed gets them too.
[ "$(meson introspect build-asan --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="fuzz"][0])')" = True ] ||
  meson configure build-asan -Dfuzz=true >/dev/null
# NINJA_JOBS limits parallel compiles (scripts/test.sh builds this beside its first pass).
ninja -C build-asan ${NINJA_JOBS:+-j "$NINJA_JOBS"}
