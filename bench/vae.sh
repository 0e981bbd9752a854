#!/usr/bin/env bash
# VAE encode + decode of one 49x64x96 clip against a large matrix product in the same run: seconds
# per clip and the VAE's GFLOP/s as a fraction of the matrix product's.
#   bench/vae.sh [--model REF] [--threads N] [--clip FxHxW] [--reps N] [--warmups N] [--help]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench VaeBench "$@"
