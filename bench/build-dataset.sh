#!/usr/bin/env bash
# Dataset-build clips/s on Spark local[1] against local[2] over the same synthetic input, and the scaling.
#   bench/build-dataset.sh [--dir FOLDER] [--videos N] [--reps N] [--warmups N] [--pin] [--help]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench BuildDatasetBench "$@"
