#!/usr/bin/env bash
# GpuCheck on a GPU machine that has CUDA PyTorch for Python and a C++ compiler but no network, no
# Java and no Maven (the lent H100 of BENCHMARKS.md): builds DJL 0.33's JNI against that machine's own
# libtorch, points DJL at it (PYTORCH_LIBRARY_PATH), then runs ying.bench.GpuCheck with the GPU hidden
# and with it, as bench/gpu-check.sh does with a -Pgpu build. Run from the repository root after
# bench/gpu-device/prepare.sh made the payload .gpu/ there; results go to $OUT (default /tmp/out).
#   bash bench/gpu-device/run.sh      (CPU_STEPS, GPU_STEPS: timed steps; MODE=build: JNI and a smoke run)
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
run() { $JAVA -Xmx16g -Dai.djl.offline=true -Djna.library.path=/tmp/cudart -cp "$CP" ying.bench.GpuCheck "$@"; }
if [ "${MODE:-all}" = build ]; then
  stamp "smoke: GPU, 1 step each"
  run --out /tmp/smoke --steps 1 --large-steps 0 --warmups 0 --sampling-steps 2; echo "rc $?"
  exit 0
fi
stamp "CPU run (GPU hidden)"
CUDA_VISIBLE_DEVICES= run --out "$O/cpu" --steps ${CPU_STEPS:-3} --large-steps 1 --warmups 1 --wide-batch 2
echo "rc $?"
stamp "GPU run"
run --out "$O/gpu" --baseline "$O/cpu" --steps ${GPU_STEPS:-20} --large-steps 5 --warmups 3 --wide-batch 2
echo "rc $?"
rm -rf "$O"/cpu/dit "$O"/cpu/vae "$O"/*/generated.bin
stamp done
