#!/usr/bin/env bash
# Runs one libFuzzer harness as a test: replays the seed corpus (read-only: new units go to a
# scratch directory, so the source tree never changes) and then fuzzes for a fixed number of
# executions. A crash input is kept in the build tree's fuzz/artifacts/ for adding to the corpus.
# usage: run.sh HARNESS CORPUS_DIR RUNS ARTIFACT_DIR
set -euo pipefail
harness=$1 corpus=$2 runs=$3 artifacts=$4
mkdir -p "$artifacts"
scratch=$(mktemp -d /tmp/hull-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
# json.dict: JSON syntax and the member names the harnesses' inputs use.
"$harness" -runs="$runs" -max_len=65536 -timeout=0 -rss_limit_mb=4096 -print_final_stats=1 \
  -dict="$(dirname "$0")/json.dict" -artifact_prefix="$artifacts/" "$scratch" "$corpus"
