#!/usr/bin/env bash
# Runs one ying.bench main class on the project's class path (building the bench jar when stale), for
# the tools that are not benchmarks themselves: ExportClips, the Train*Raw mains on a CPU, Publish*, SettleVae.
#   bench/run-main.sh CLASS [ARGS...]      e.g. bench/run-main.sh PublishVae --help
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench "$@"
