#!/usr/bin/env bash
# Decode-and-resize throughput of ying's VideoReader against ffmpeg -threads 1, as a ratio in one run.
#   bench/decode.sh [--reps N] [--dir FOLDER] [--sizes 96x64,192x128] [--help]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench DecodeBench "$@"
