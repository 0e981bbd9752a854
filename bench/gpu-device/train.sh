#!/usr/bin/env bash
# Trains on the GPU machine of run.sh (no network, Java, Maven or Hadoop): ying.bench.TrainVaeRaw and
# ying.bench.TrainCaptionerRaw are train-vae's and train-captioner's own loops on the raw clip files
# that prepare.sh's payload carries (.gpu/clips/NAME.xz, unpacked to /tmp/clips/NAME) and on clips
# rendered from the synthetic world as they go; ying.bench.TrainDitRaw is train-dit's loop on a raw
# latent file carried the same way (--latents /tmp/clips/NAME --init .gpu/init/dit-3; add --render-seed S --vae DIR
# --render-threads 12 to train mostly on clips rendered and encoded as it goes). One JVM per run, side by side on the one GPU (they take
# turns on it: on an H200, vae@3's network took 0.071 s per step of 4 whole clips alone and 0.14 s
# beside another run). Each run's folder (float16 weights, config, log, run.json) comes back as
# $OUT/NAME.tar: the device tool returns at most 8 files of at most 16 MiB each, so one tar per run
# keeps a run whole (float16 weights of up to ~8 M parameters fit); a run's tar is written as soon as
# it ends. ying.bench.PublishVae, PublishCaptioner and PublishDit score and publish them where the
# dataset lives. LIMIT (seconds since the script started; set it below the device call's time limit):
# runs still going then are stopped, and their logs still come back.
#   LIMIT=540 RUNS="v:TrainVaeRaw:--clips /tmp/clips/v.raw --init .gpu/init/vae-3 --seconds 300;c:TrainCaptionerRaw:--clips
#     /tmp/clips/c.raw --init .gpu/init/captioner-6 --seconds 300" bash bench/gpu-device/train.sh
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
stamp "unpacking the clips"
mkdir -p /tmp/clips
for f in "$G"/clips/*.xz; do
  n="$(basename "$f" .xz)"
  xz -dc -T0 "$f" > "/tmp/clips/$n" && cp "$G/clips/$n.json" "/tmp/clips/" || exit 5
done
ls -la /tmp/clips
pids=()
IFS=';' read -ra runs <<< "${RUNS:?RUNS=name:Class:args;name:Class:args}"
for r in "${runs[@]}"; do
  name="${r%%:*}"; rest="${r#*:}"; main="${rest%%:*}"; args="${rest#*:}"
  stamp "run $name: $main $args"
  mkdir -p "/tmp/runs/$name"
  # Each run is packed into $OUT as soon as it ends, so one run that overstays does not cost the others.
  # shellcheck disable=SC2086 # args is a list of options
  ( $JAVA -Xmx20g -Dai.djl.offline=true -Djna.library.path=/tmp/cudart -cp "$CP" "ying.bench.$main" \
      --out "/tmp/runs/$name" $args > "/tmp/runs/$name/train.log" 2>&1
    echo "rc $?" >> "/tmp/runs/$name/train.log"
    tar cf "$O/$name.tar" -C /tmp/runs "$name" ) &
  pids+=($!)
done
# LIMIT (seconds since this script started): runs still going then are stopped and their logs packed,
# so the device call returns them before its own time limit ends everything.
if [ -n "${LIMIT:-}" ]; then
  ( sleep $(( LIMIT - ($(date +%s) - t0) )); stamp "LIMIT reached: stopping what still runs"
    for p in "${pids[@]}"; do pkill -P "$p"; done ) &
  watchdog=$!
fi
for p in "${pids[@]}"; do wait "$p"; done
[ -n "${watchdog:-}" ] && kill "$watchdog" 2>/dev/null
for r in "${runs[@]}"; do
  n="${r%%:*}"
  grep -a 'train-\|probe\|^rc ' "/tmp/runs/$n/train.log" | grep -av '^\[train-' | tail -14
done
ls -la "$O"
stamp done
