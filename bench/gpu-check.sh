#!/usr/bin/env bash
# The trainer's and the generator's own steps on one GPU machine, side by side: first with the GPU
# hidden (CUDA_VISIBLE_DEVICES=), then on the GPU with the CPU run's weights. The second run fails
# unless every parameter, gradient and input sits on the GPU, the DiT's losses and the generated clip
# agree with the CPU's, and it prints the speed-up of each workload (ying.bench.GpuCheck).
# Needs the GPU build of the jars (this script builds it with -Pgpu: libtorch for CUDA 12.4).
#   bench/gpu-check.sh [OUT_DIR]     (default: target/gpu-check)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export BENCH_MAVEN_ARGS="${BENCH_MAVEN_ARGS:--Pgpu}"
out="${1:-target/gpu-check}"
if ! grep -q pytorch-native-cu bench/target/classpath.txt 2>/dev/null; then
  mvn -q -B -pl bench -am package -DskipTests $BENCH_MAVEN_ARGS >&2 # a CPU build is there: replace it
fi
(CUDA_VISIBLE_DEVICES= run_bench GpuCheck --out "$out/cpu" --steps 3 --large-steps 1 --warmups 1)
(run_bench GpuCheck --out "$out/gpu" --baseline "$out/cpu" --steps 30 --large-steps 5 --warmups 3)
