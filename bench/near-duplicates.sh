#!/usr/bin/env bash
# build-dataset's near-duplicate filter: distinct synthetic scenes dropped against altered copies caught.
#   bench/near-duplicates.sh [--videos N] [--copies N] [--seed S] [--help]
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
run_bench NearDuplicateBench "$@"
