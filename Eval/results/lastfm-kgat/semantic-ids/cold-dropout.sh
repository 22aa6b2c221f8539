#!/usr/bin/env bash
# DropoutNet-style training for new items (issue #18): LightGCN's --cold-dropout P scores each training positive and
# negative, with probability P, as an item without training edges is scored (its semantic-ID rows; with
# --isolated-nodes keep at scale 1), so the codes learn to stand alone against trained items. Tables sid:pieces and
# sid:hybrid with ID rows only for trained items (--id-min-count 1). P = 0 is scale.sh's S = 1 run (keep is scale 1),
# linked as the cd0 run. Per table and seed the P with the best validation recall@20 is chosen, then test is read
# (scale-select.sh with KNOB=cd).
#   RECSYS=... OUT=/tmp/sidt/lfm SEEDS=2020 PS=0.5 Eval/results/lastfm-kgat/semantic-ids/cold-dropout.sh
#   RECSYS=... OUT=/tmp/sidt/lfm SEEDS="2020 2021 2022" PS="0.1 0.3" SELECT="0 0.1 0.3 0.5" Eval/results/lastfm-kgat/semantic-ids/cold-dropout.sh > cold-dropout.md
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/sidt/lfm}
SEEDS=${SEEDS:-"2020 2021 2022"}
PS=${PS:-"0.1 0.3"}
for seed in $SEEDS; do
  for p in $PS; do
    SEEDS=$seed TABLES=sid:pieces SUFFIX=-cd$p MODEL_ARGS="--isolated-nodes keep --cold-dropout $p" "$here/run.sh" >&2
    SEEDS=$seed TABLES=sid:hybrid SUFFIX=-min1-cd$p MODEL_ARGS="--isolated-nodes keep --id-min-count 1 --cold-dropout $p" "$here/run.sh" >&2
  done
  for t in pieces hybrid-min1; do
    [[ -d "$OUT/lightgcn-$t-s1-$seed" ]] || SEEDS=$seed SCALES=1 "$here/scale.sh" >&2
    ln -sfn "lightgcn-$t-s1-$seed" "$OUT/lightgcn-$t-cd0-$seed"
    ln -sfn "lightgcn-$t-s1-$seed" "$OUT/eval/lightgcn-$t-cd0-$seed"
  done
done
OUT=$OUT SEEDS="$SEEDS" KNOB=cd SCALES="${SELECT:-0 $PS}" "$here/scale-select.sh"
