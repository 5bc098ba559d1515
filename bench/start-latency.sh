#!/usr/bin/env bash
# Kept for old instructions: start latency and create RSS are two cases of bench/runtime.sh.
#   bench/start-latency.sh [-n ROUNDS]   (same as bench/runtime.sh -c run,rss)
exec "$(dirname "$0")/runtime.sh" -c run,rss "$@"
