#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript in conf/gpu.properties):
# prints the GPUs of this machine as Spark's ResourceInformation JSON, {"name":"gpu","addresses":["0","1"]}.
# The addresses are nvidia-smi's indices, which are the CUDA device indices Ying's models run on
# (ying.core.djl.Devices). It must exist at the same path on every executor host.
set -euo pipefail
indices="$(nvidia-smi --query-gpu=index --format=csv,noheader)" || {
  echo "gpu-discovery.sh: nvidia-smi failed; is the NVIDIA driver installed on $(hostname)?" >&2
  exit 1
}
addresses="$(printf '%s\n' "$indices" | awk 'NF { gsub(/[^0-9]/, ""); printf "%s\"%s\"", (n++ ? "," : ""), $0 }')"
printf '{"name":"gpu","addresses":[%s]}\n' "$addresses"
