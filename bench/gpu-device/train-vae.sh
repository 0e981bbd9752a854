#!/usr/bin/env bash
# Trains VAEs on the GPU machine of run.sh (no network, Java, Maven or Hadoop): ying.bench.TrainVaeRaw,
# train-vae's own loop, on the raw clips that prepare.sh's payload carries (.gpu/clips.raw.xz, written
# by ying.bench.ExportClips), one JVM per run, side by side on the one GPU. Each run's weights
# (float16), config, log and run.json go to $OUT/NAME/; ying.bench.PublishVae scores and publishes
# them where the dataset lives.
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
  # shellcheck disable=SC2086 # args is a list of options
  $JAVA -Xmx20g -Dai.djl.offline=true -Djna.library.path=/tmp/cudart -cp "$CP" ying.bench.TrainVaeRaw \
    --clips /tmp/clips.raw --out "$O/$name" $args > "$O/$name.log" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; echo "pid $p rc $?"; done
for r in "${runs[@]}"; do n="${r%%:*}"; grep -a 'train-vae' "$O/$n.log" | grep -av '\[train-vae\]' | tail -12; done
ls -la "$O"/*/
stamp done
