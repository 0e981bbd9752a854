#!/usr/bin/env bash
# Trains VAEs on the GPU machine of run.sh (no network, Java, Maven or Hadoop): ying.bench.TrainVaeRaw,
# train-vae's own loop, on the raw clips that prepare.sh's payload carries (.gpu/clips.raw.xz, written
# by ying.bench.ExportClips), one JVM per run, side by side on the one GPU (they take turns on it: on an H200, vae@3's network took
# 0.071 s per step of 4 whole clips alone and 0.14 s beside another run). Each run's weights
# (float16), config, log and run.json go to $OUT/NAME.tar (the device tool brings back at most 8 files
# of at most 16 MiB each: one tar per run keeps a run whole; float16 weights of up to ~8 M parameters
# fit); ying.bench.PublishVae scores and publishes them where the dataset lives.
#   RUNS="a:--channels 32 --levels 64,128,128 --seconds 300;b:--init .gpu/init --lr 0.0002 --seconds 300" \
#     bash bench/gpu-device/train-vae.sh
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
stamp "unpacking the clips"
xz -dc -T0 "$G/clips.raw.xz" > /tmp/clips.raw && cp "$G/clips.raw.json" /tmp/clips.raw.json || exit 5
ls -la /tmp/clips.raw
pids=()
IFS=';' read -ra runs <<< "${RUNS:?RUNS=name:args;name:args}"
for r in "${runs[@]}"; do
  name="${r%%:*}"; args="${r#*:}"
  stamp "run $name: $args"
  mkdir -p "/tmp/runs/$name"
  # shellcheck disable=SC2086 # args is a list of options
  $JAVA -Xmx20g -Dai.djl.offline=true -Djna.library.path=/tmp/cudart -cp "$CP" ying.bench.TrainVaeRaw \
    --clips /tmp/clips.raw --out "/tmp/runs/$name" $args > "/tmp/runs/$name/train.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; echo "pid $p rc $?"; done
for r in "${runs[@]}"; do
  n="${r%%:*}"
  grep -a 'train-vae' "/tmp/runs/$n/train.log" | grep -av '\[train-vae\]' | tail -12
  tar cf "$O/$n.tar" -C /tmp/runs "$n"
done
ls -la "$O"
stamp done
