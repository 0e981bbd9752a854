#!/usr/bin/env bash
# Text-to-video generation of one 49x64x96 clip (50 DDIM steps with guidance, then the VAE decode)
# against a large matrix product in the same run: seconds per clip and the sampler's GFLOP/s as a
# fraction of the matrix product's.
#   bench/sampler.sh [--checkpoint REF] [--threads N] [--steps N] [--frames N] [--reps N] [--help]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench SamplerBench "$@"
