#!/usr/bin/env bash
# The caption job on one long video of many short scenes: run and decode time per --frame-memory-mb limit
# (a limit that holds a scene against 0, seeking back for every clip), alternating in one run.
#   bench/long-video.sh [--dir FOLDER] [--scenes N] [--size WxH] [--frame-memory-mb 128,0] [--reps N] [--help]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench LongVideoBench "$@"
