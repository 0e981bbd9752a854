#!/usr/bin/env bash
# Caption-job clips/s on Spark local[1] against local[2] over the same synthetic videos, the scaling,
# and the share of task time spent outside the model.
#   bench/caption.sh [--dir FOLDER] [--videos N] [--model REF] [--reps N] [--warmups N] [--pin] [--help]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench CaptionBench "$@"
