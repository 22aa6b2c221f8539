#!/usr/bin/env bash
# The weight of new items chosen on validation (issue #18): LightGCN's --isolated-scale S gives an item without training
# edges S × its layer-0 row (its semantic-ID sum); 1 is --isolated-nodes keep, 0.25 the paper's layer mean (3 layers).
# Training is the same for every S (only such items change, and --negatives-from trained never samples them); the
# validation recall@20 over all items (the carve has cold items of its own) picks the kept epoch and, per table and
# seed, the scale. Runs are named lightgcn-<table>-s<S>-<seed>; tables: sid:pieces and sid:hybrid with ID rows only
# for items seen in training (--id-min-count 1, named hybrid-min1).
#   RECSYS=... OUT=/tmp/sidt/lfm SEEDS="2020 2021 2022" Eval/results/lastfm-kgat/semantic-ids/scale.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
SCALES=${SCALES:-"0.4 0.55 0.7 0.85 1"}
for seed in ${SEEDS:-2020}; do
  for s in $SCALES; do
    SEEDS=$seed TABLES=sid:pieces SUFFIX=-s$s MODEL_ARGS="--isolated-scale $s" "$here/run.sh"
    SEEDS=$seed TABLES=sid:hybrid SUFFIX=-min1-s$s MODEL_ARGS="--isolated-scale $s --id-min-count 1" "$here/run.sh"
  done
done
